import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCount, groupDigits } from './formatCount';

describe('groupDigits', () => {
  it('writes what toLocaleString("en-US") writes, for whole and fractional numbers', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
          fc.maxSafeInteger(),
          fc.double({ min: -1e20, max: 1e20, noNaN: true }),
        ),
        (n) => {
          expect(groupDigits(n)).toBe(Math.round(n).toLocaleString('en-US'));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('groups by threes at the edges of each group', () => {
    expect([0, 999, 1000, 19_683, 999_999, 1_000_000, -1234].map(groupDigits)).toEqual([
      '0',
      '999',
      '1,000',
      '19,683',
      '999,999',
      '1,000,000',
      '-1,234',
    ]);
  });
});

describe('formatCount', () => {
  it('switches to the exponent form at a billion', () => {
    expect(formatCount(999_999_999)).toBe('999,999,999');
    expect(formatCount(1e9)).toBe('1.00e+9');
    expect(formatCount(2_345_678_901)).toBe('2.35e+9');
  });
});
