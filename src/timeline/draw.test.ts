import { describe, expect, it } from 'vitest';
import { layoutFlags } from './drawFlags';
import { mergeClose } from './bands';
import { activityRuns } from './drawMarks';
import type { Mark } from './spans';

const marks = (threads: number[]): Mark[] =>
  threads.map((thread, step) => ({ step, thread, kind: 'nop', category: 'control', label: '' }));

describe('activityRuns', () => {
  it('merges a lane’s steps across gaps under two pixels', () => {
    // 0.5 px per step: gaps of up to 3 steps merge.
    const m = marks([0, 0, 1, 1, 0, 1, 1, 1, 1, 0]);
    expect(activityRuns(m, 0, 10, 0.5)).toEqual([
      { thread: 0, start: 0, end: 5 },
      { thread: 1, start: 2, end: 9 },
      { thread: 0, start: 9, end: 10 },
    ]);
  });

  it('keeps every step apart at two or more pixels per step, within the asked slots', () => {
    const m = marks([0, 1, 0, 1]);
    expect(activityRuns(m, 1, 3, 2)).toEqual([
      { thread: 1, start: 1, end: 2 },
      { thread: 0, start: 2, end: 3 },
    ]);
  });
});

describe('layoutFlags', () => {
  it('puts a violation right of its anchor and a cause left of its own', () => {
    expect(layoutFlags([500, 300], [100, 80], [true, false], 0, 1000)).toEqual([
      { row: 0, x0: 504, x1: 604 },
      { row: 0, x0: 216, x1: 296 },
    ]);
  });

  it('flips a flag that would leave the plot', () => {
    expect(layoutFlags([950, 20], [100, 80], [true, false], 0, 1000)).toEqual([
      { row: 0, x0: 846, x1: 946 },
      { row: 0, x0: 24, x1: 104 },
    ]);
  });

  it('moves a crowded flag to the second row', () => {
    // The cause four steps (64 px) before the violation at the right edge: the ABA end state.
    const boxes = layoutFlags([1380, 1316], [140, 170], [true, false], 170, 1392);
    expect(boxes[0]).toEqual({ row: 0, x0: 1236, x1: 1376 });
    expect(boxes[1]?.row).toBe(1);
  });

  it('never overlaps two flags when both rows are crowded at the edge', () => {
    // Four flags anchored within 30 px of the right edge: the fourth used to fall back onto row 1 over the third.
    const xs = [1370, 1360, 1350, 1340];
    const boxes = layoutFlags(xs, [140, 170, 160, 150], [true, false, false, false], 170, 1392);
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        if (a.row === b.row) expect(a.x1 <= b.x0 || b.x1 <= a.x0).toBe(true);
    for (const b of boxes) expect(b.x0 >= 170 && b.x1 <= 1392).toBe(true);
  });

  it('cuts a flag to the widest free gap when no full-width place is left', () => {
    // A 200 px plot already holding a flag on each row: the third fits only cut short.
    const boxes = layoutFlags([100, 100, 100], [150, 150, 150], [true, true, true], 0, 200);
    const third = boxes[2];
    expect(third && third.x1 - third.x0).toBeLessThan(150);
    expect(third && third.x1 - third.x0).toBeGreaterThanOrEqual(40);
  });
});

describe('mergeClose', () => {
  const row = (d: { thread: number }) => String(d.thread);
  it('merges spans of one row closer than the gap, never across rows', () => {
    const spans = [
      { thread: 0, start: 0, end: 2 },
      { thread: 1, start: 1, end: 3 },
      { thread: 0, start: 3, end: 5 },
      { thread: 0, start: 9, end: 10 },
    ];
    expect(mergeClose(spans, row, 2)).toEqual([
      { thread: 0, start: 0, end: 5, count: 2 },
      { thread: 1, start: 1, end: 3, count: 1 },
      { thread: 0, start: 9, end: 10, count: 1 },
    ]);
  });

  it('merges nothing, not even touching spans, with a zero gap', () => {
    const spans = [
      { thread: 0, start: 0, end: 2 },
      { thread: 0, start: 2, end: 4 },
    ];
    expect(mergeClose(spans, row, 0)).toHaveLength(2);
  });
});
