/**
 * Pointer and keyboard geometry of the outcome map, over the worker's
 * rectangles (layout units, 4 floats per item). Pure: the unit tests drive
 * it with hand-made layouts.
 */
import type { MapView } from '../../scenarios/mapLayout';

export type MapGeometry = Pick<
  MapView,
  'count' | 'rects' | 'groupRects' | 'kindRects' | 'groups' | 'kinds' | 'width' | 'height'
>;

const inside = (a: Float32Array, i: number, x: number, y: number) =>
  x >= (a[i * 4] as number) &&
  x < (a[i * 4 + 2] as number) &&
  y >= (a[i * 4 + 1] as number) &&
  y < (a[i * 4 + 3] as number);

/**
 * The position of the final state under (x, y), or -1. Descends kind, then
 * group, then scans only that group's states: a hover costs a few hundred
 * comparisons, not 20,000.
 */
export function hitTest(v: MapGeometry, x: number, y: number): number {
  for (let k = 0; k < v.kinds.length; k++) {
    if (!inside(v.kindRects, k, x, y)) continue;
    const kind = v.kinds[k];
    if (!kind) return -1;
    for (let g = kind.firstGroup; g < kind.endGroup; g++) {
      if (!inside(v.groupRects, g, x, y)) continue;
      const group = v.groups[g];
      if (!group) return -1;
      for (let p = group.start; p < group.end; p++) if (inside(v.rects, p, x, y)) return p;
      return -1;
    }
    return -1;
  }
  return -1;
}

export type MapKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End';

/**
 * Where a key moves the focus from position `p`. Left and right walk the
 * map order (every state, however small, is reached); up and down move to
 * the state drawn above or below, looking further until one is found, and
 * fall back to the previous or next state at the edge.
 */
export function moveFocus(v: MapGeometry, p: number, key: MapKey): number {
  const last = v.count - 1;
  if (v.count === 0) return -1;
  if (p < 0) return 0;
  switch (key) {
    case 'ArrowLeft':
      return Math.max(0, p - 1);
    case 'ArrowRight':
      return Math.min(last, p + 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default: {
      const r = v.rects;
      const cx = ((r[p * 4] as number) + (r[p * 4 + 2] as number)) / 2;
      const up = key === 'ArrowUp';
      const edge = up ? (r[p * 4 + 1] as number) : (r[p * 4 + 3] as number);
      // Steps of half a unit cross the 1-unit gaps between groups and kinds.
      for (let d = 0.5; d <= v.height; d += 0.5) {
        const y = up ? edge - d : edge + d;
        if (y < 0 || y >= v.height) break;
        const q = hitTest(v, cx, y);
        if (q >= 0 && q !== p) return q;
      }
      return up ? Math.max(0, p - 1) : Math.min(last, p + 1);
    }
  }
}
