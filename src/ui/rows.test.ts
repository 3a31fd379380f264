import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextRowStop, prevRowStop, rowAt, rowStops } from './rows';

// Three rows: steps 0-3, 4-9, 10-11 of a 12-step story.
const ROWS = [{ start: 0 }, { start: 4 }, { start: 10 }];

describe('narration rows as cursor stops', () => {
  // prettier-ignore
  it.each([
    [0, 4, 0, 0], [1, 4, 0, 1], [4, 10, 0, 1], [5, 10, 4, 2], [10, 12, 4, 2], [11, 12, 10, 3], [12, 12, 10, 3],
  ])('cursor %i: next %i, previous %i, row %i', (cursor, next, prev, row) => {
    expect(nextRowStop(ROWS, 12, cursor)).toBe(next);
    expect(prevRowStop(ROWS, 12, cursor)).toBe(prev);
    expect(rowAt(ROWS, cursor)).toBe(row);
  });

  it('a story that starts late stops before its first row', () => {
    expect(rowStops([{ start: 2 }, { start: 5 }], 8)).toEqual([2, 5, 8]);
  });

  it('PageDown then PageUp returns to a stop, and every stop completes a row', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 40 }),
        (starts, cursor) => {
          const rows = [...starts].sort((a, b) => a - b).map((start) => ({ start }));
          const n = 41;
          const next = nextRowStop(rows, n, cursor);
          expect(next).toBeGreaterThan(Math.min(cursor, n - 1));
          const back = prevRowStop(rows, n, next);
          expect(back).toBeLessThanOrEqual(cursor);
          // At a stop, the next op starts a new row (or the story is over).
          for (const s of rowStops(rows, n))
            expect(s === n || rows.some((r) => r.start === s)).toBe(true);
        },
      ),
    );
  });
});
