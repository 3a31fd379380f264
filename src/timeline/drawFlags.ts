/**
 * Flags above the lanes: the violation's kind at its step, and each cause's
 * part in the story at its own. Flags can crowd (a cause four steps before
 * the violation), so they are laid out in two rows with a greedy search for
 * a free place; there are only ever a handful.
 */
import type { Frame, Layer } from './frame';
import { stepName } from './labels';

export interface Flag {
  key: string;
  step: number;
  text: string;
  violation: boolean;
  /** Tooltip. */
  title: string;
  kind: string;
}

export interface FlagBox {
  row: number;
  x0: number;
  x1: number;
}

/**
 * Places flags anchored at `xs[i]` with widths `ws[i]`: violations prefer the
 * right of their anchor and causes the left (causes come earlier, so the two
 * point away from each other). Tries row 0 then row 1, preferred side first,
 * avoiding overlaps and the plot's edges [lo, hi]; falls back to row 1 on
 * the preferred side.
 */
export function layoutFlags(
  xs: readonly number[],
  ws: readonly number[],
  rightFirst: readonly boolean[],
  lo: number,
  hi: number,
  gap = 6,
): FlagBox[] {
  const placed: FlagBox[] = [];
  return xs.map((x, i) => {
    const w = ws[i] ?? 0;
    const pref = rightFirst[i] ?? true;
    const box = (row: number, right: boolean): FlagBox =>
      right ? { row, x0: x + 4, x1: x + 4 + w } : { row, x0: x - 4 - w, x1: x - 4 };
    const free = (b: FlagBox) =>
      b.x0 >= lo &&
      b.x1 <= hi &&
      placed.every((p) => p.row !== b.row || b.x1 + gap <= p.x0 || b.x0 >= p.x1 + gap);
    const tries = [box(0, pref), box(0, !pref), box(1, pref), box(1, !pref)];
    const chosen = tries.find(free) ?? slide(box(0, pref), placed, lo, hi, gap) ?? box(1, pref);
    placed.push(chosen);
    return chosen;
  });
}

/**
 * When neither side of the anchor is free on either row (flags crowded at the
 * plot's edge, as srcu-deadlock's causes in talk mode at 1280 px), the flag
 * slides to the free place nearest its preferred one, on either row, and its
 * leader line still marks the step. Failing that, it is cut to the widest
 * free gap next to it (the full text stays in its tooltip); null if even that
 * is under 40 px.
 */
function slide(
  pref: FlagBox,
  placed: readonly FlagBox[],
  lo: number,
  hi: number,
  gap: number,
): FlagBox | null {
  const w = pref.x1 - pref.x0;
  let best: FlagBox | null = null;
  for (const row of [0, 1]) {
    const others = placed.filter((p) => p.row === row).sort((a, b) => a.x0 - b.x0);
    // Free intervals of this row, between the plot's edges and the placed flags.
    let from = lo;
    const gaps: [number, number][] = [];
    for (const p of others) {
      if (p.x0 - gap > from) gaps.push([from, p.x0 - gap]);
      from = Math.max(from, p.x1 + gap);
    }
    if (hi > from) gaps.push([from, hi]);
    for (const [a, b] of gaps) {
      const width = Math.min(w, b - a);
      if (width < Math.min(w, 40)) continue;
      const x0 = Math.min(Math.max(pref.x0, a), b - width);
      const cand = { row, x0, x1: x0 + width };
      const cost = (width < w ? 1e6 : 0) + Math.abs(x0 - pref.x0) + row;
      const bestCost = best
        ? (best.x1 - best.x0 < w ? 1e6 : 0) + Math.abs(best.x0 - pref.x0) + best.row
        : Infinity;
      if (cost < bestCost) best = cand;
    }
  }
  return best;
}

export function flagsOf(f: Frame): Flag[] {
  return f.model.violations
    .filter((v) => f.cursor > v.step)
    .flatMap((v) => [
      {
        key: `v${v.step}`,
        step: v.step,
        text: v.title,
        violation: true,
        title: v.message,
        kind: v.kind,
      },
      ...v.notes.map((n) => ({
        key: `c${v.step}:${n.step}`,
        step: n.step,
        text: n.text,
        violation: false,
        title: `${stepName(n.step)}: ${n.text}`,
        kind: v.kind,
      })),
    ]);
}

/** A flag where it is drawn: its anchor x, its box, and the text that fits the box. */
export interface PlacedFlag {
  flag: Flag;
  x: number;
  box: FlagBox;
  y: number;
  h: number;
  /** The flag's text, cut with an ellipsis when its box was cut to fit a gap (see slide). */
  text: string;
}

/** Places the frame's flags: one computation for the timeline and the SVG export. */
export function placeFlags(f: Frame): PlacedFlag[] {
  const s = f.layout.sizes;
  const flags = flagsOf(f);
  const rowH = (s.flagH - 4) / 2;
  const top = f.layout.lanesY - s.flagH;
  const xs = flags.map((d) => f.scale.stepToPx(d.step + 0.5));
  const boxes = layoutFlags(
    xs,
    flags.map((d) => d.text.length * s.charW + 12),
    flags.map((d) => d.violation),
    f.layout.plotX0,
    f.layout.plotX1,
  );
  return flags.map((flag, i) => {
    const x = xs[i] ?? 0;
    const box = boxes[i] ?? { row: 0, x0: x, x1: x };
    // The box was text.length × charW + 12 wide unless cut; the epsilon absorbs rounding.
    const fits = Math.max(1, Math.floor((box.x1 - box.x0 - 12) / s.charW + 1e-6));
    const text = flag.text.length > fits ? `${flag.text.slice(0, fits - 1)}…` : flag.text;
    return { flag, x, box, y: top + 2 + box.row * rowH, h: rowH - 3, text };
  });
}

export function drawFlags(layer: Layer, f: Frame): void {
  const s = f.layout.sizes;
  const placed = placeFlags(f);
  layer
    .selectAll<SVGGElement, PlacedFlag>('g.tl-flag')
    .data(placed, (p) => p.flag.key)
    .join((enter) => {
      const g = enter
        .append('g')
        .attr('class', (p) => (p.flag.violation ? 'tl-flag is-violation' : 'tl-flag is-cause'));
      g.attr('data-step', (p) => p.flag.step)
        .filter((p) => p.flag.violation)
        .attr('data-testid', 'violation-marker')
        .attr('data-kind', (p) => p.flag.kind);
      g.append('line');
      g.append('rect');
      g.append('text');
      g.append('title').text((p) => p.flag.title);
      return g;
    })
    .each(function ({ flag, x, box: b, y, h, text: fitted }) {
      const [line, rect, text] = [this.children[0], this.children[1], this.children[2]];
      line?.setAttribute('x1', String(x));
      line?.setAttribute('x2', String(x));
      line?.setAttribute('y1', String(y + h / 2));
      line?.setAttribute('y2', String(flag.violation ? f.layout.height : f.layout.lanesY));
      rect?.setAttribute('x', String(b.x0));
      rect?.setAttribute('y', String(y));
      rect?.setAttribute('width', String(b.x1 - b.x0));
      rect?.setAttribute('height', String(h));
      if (text) text.textContent = fitted;
      text?.setAttribute('x', String(b.x0 + 6));
      text?.setAttribute('y', String(y + h / 2 + s.font * 0.36));
    });
}
