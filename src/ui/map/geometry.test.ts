import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exploreReport } from '../../scenarios/report';
import { layoutMap, type MapView } from '../../scenarios/mapLayout';
import type { OutcomeMap } from '../../engine';
import { hitTest, moveFocus } from './geometry';
import { announce, describeState, differingFields } from './describe';

function viewOf(n: number): MapView {
  let view: MapView | null = null;
  exploreReport('dirty-bit-scaled', 'buggy', {
    params: { n },
    map: true,
    onMap: (map: OutcomeMap) => (view = layoutMap(map)),
  });
  if (!view) throw new Error('no map');
  return view;
}

/** The reference: every rectangle, one by one. */
function bruteHit(v: MapView, x: number, y: number): number {
  for (let p = 0; p < v.count; p++) {
    const [x0, y0, x1, y1] = v.rects.subarray(p * 4, p * 4 + 4) as unknown as number[];
    if (x >= (x0 as number) && x < (x1 as number) && y >= (y0 as number) && y < (y1 as number))
      return p;
  }
  return -1;
}

const center = (v: MapView, p: number) => ({
  x: ((v.rects[p * 4] as number) + (v.rects[p * 4 + 2] as number)) / 2,
  y: ((v.rects[p * 4 + 1] as number) + (v.rects[p * 4 + 3] as number)) / 2,
});

describe('outcome map geometry', () => {
  const v = viewOf(3);

  it('property (seed 0x3a9): hit-testing by kind and group finds what a scan of every state finds', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: v.width + 5, noNaN: true }),
        fc.double({ min: -5, max: v.height + 5, noNaN: true }),
        (x, y) => hitTest(v, x, y) === bruteHit(v, x, y),
      ),
      { seed: 0x3a9, numRuns: 2000 },
    );
  });

  it('the centre of every state hits that state; the label strip above a kind hits none', () => {
    for (let p = 0; p < v.count; p++) {
      const c = center(v, p);
      expect(hitTest(v, c.x, c.y)).toBe(p);
    }
    expect(hitTest(v, 5, 5)).toBe(-1);
  });

  it('left and right walk every state in map order; Home and End jump to the ends', () => {
    let p = moveFocus(v, -1, 'ArrowRight');
    expect(p).toBe(0);
    const seen = [p];
    for (let i = 0; i < v.count + 2; i++) seen.push((p = moveFocus(v, p, 'ArrowRight')));
    expect(new Set(seen).size).toBe(v.count);
    expect(p).toBe(v.count - 1);
    expect(moveFocus(v, p, 'ArrowLeft')).toBe(v.count - 2);
    expect(moveFocus(v, 5, 'Home')).toBe(0);
    expect(moveFocus(v, 5, 'End')).toBe(v.count - 1);
  });

  it('down moves to a state drawn below, up to one drawn above', () => {
    for (let p = 0; p < v.count; p++) {
      const down = moveFocus(v, p, 'ArrowDown');
      const up = moveFocus(v, p, 'ArrowUp');
      const below = center(v, down).y > center(v, p).y;
      const above = center(v, up).y < center(v, p).y;
      // At the bottom (top) edge the focus falls back to the next (previous) state.
      expect(below || down === Math.min(v.count - 1, p + 1)).toBe(true);
      expect(above || up === Math.max(0, p - 1)).toBe(true);
    }
  });
});

describe('outcome map words', () => {
  const v = viewOf(3);
  const F = v.fields.length;

  it('a state differs exactly in the fields where its value is not the most common', () => {
    for (let p = 0; p < v.count; p++) {
      const expected = v.fields.filter((f, i) => v.values[p * F + i] !== f.mode).length;
      const listed = differingFields(v, p, 100);
      expect(listed).toHaveLength(expected);
      for (const line of listed) expect(line).toMatch(/^.+ = .+ \(most: .+\)$/);
    }
  });

  it('the description names the kind, the size in the panel’s unit and the group', () => {
    const d = describeState(v, 0, true);
    expect(d.title).toBe('lost-dirty-bit');
    expect(d.size).toMatch(/^reached by [\d,]+ paths? of the reduced state graph$/);
    expect(d.group).toMatch(/^pfn1 Dirty = [01], pfn2 Dirty = [01]$/);
    const last = describeState(v, v.count - 1, false);
    expect(last.title).toBe('no violation');
    expect(last.size).toMatch(/interleavings?$/);
    expect(announce(v, 0, true, v.count)).toMatch(
      /^Final state 1 of 27: lost-dirty-bit, .*Enter replays it\.$/,
    );
  });
});
