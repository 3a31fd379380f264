/**
 * Pure geometry of the marks and cause arrows, shared by the D3 drawers and
 * the SVG export (src/export), which draws the same picture without a DOM.
 */
import type { Frame } from './frame';
import type { MarkCategory } from './labels';
import type { CauseArrow } from './violations';

/** Shape by category, so that kinds differ by form as well as colour. */
export function shapePath(cat: MarkCategory, w: number, h: number): string {
  const p = Math.min(6, w / 3);
  const r = Math.min(h / 2, w / 2);
  switch (cat) {
    case 'atomic': // hexagon: one indivisible read-modify-write
      return `M0,${h / 2}L${p},0H${w - p}L${w},${h / 2}L${w - p},${h}H${p}Z`;
    case 'sync':
    case 'guest': // pill (a circle when the slot is narrow)
      return (
        `M${r},0H${w - r}A${r},${r} 0 0 1 ${w},${r}V${h - r}A${r},${r} 0 0 1 ${w - r},${h}` +
        `H${r}A${r},${r} 0 0 1 0,${h - r}V${r}A${r},${r} 0 0 1 ${r},0Z`
      );
    case 'host': // chevron: work done outside KVM
      return `M0,0H${w - p}L${w},${h / 2}L${w - p},${h}H0L${p},${h / 2}Z`;
    case 'control': {
      // a low bar: local work that touches no shared state
      const y = h * 0.3;
      return `M0,${y}H${w}V${h - y}H0Z`;
    }
    default:
      return `M0,0H${w}V${h}H0Z`;
  }
}

export interface Positioned {
  x: number;
  y: number;
}

/** The top centre of step i's mark. */
export function markTop(f: Frame, step: number): Positioned {
  const t = f.model.trace.steps[step]?.thread ?? 0;
  return { x: f.scale.stepToPx(step + 0.5), y: f.layout.lanes[t]?.markY ?? 0 };
}

export function arrowPath(f: Frame, a: CauseArrow): string {
  const p = markTop(f, a.from);
  const q = markTop(f, a.to);
  // Stay under the flags so that no arrow crosses their text.
  const ceiling = f.layout.lanesY + 2;
  const low = Math.min(p.y, q.y);
  const lift = Math.min(Math.max(24, Math.abs(q.x - p.x) * 0.2), low - ceiling);
  // A cubic with both controls at height c peaks at 3/4 of the way to c.
  const c = low - lift / 0.75;
  return `M${p.x},${p.y - 1}C${p.x},${c} ${q.x},${c} ${q.x},${q.y - 3}`;
}
