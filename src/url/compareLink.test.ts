import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeUrl, encodeUrl, type UrlState } from './codec';

const id = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/);
const kernel = fc.constantFrom('6.8', '6.12', '7.2');
const compare = fc.oneof(
  id,
  fc.tuple(id, kernel).map(([v, k]) => `${v}@${k}`),
  kernel.map((k) => `@${k}`),
);
const state: fc.Arbitrary<UrlState> = fc.record(
  {
    scenario: id,
    variant: id,
    kernel,
    schedule: fc.constant('canonical'),
    step: fc.integer({ min: 0, max: 999_999 }),
    compare,
    row: fc.integer({ min: 0, max: 999_999 }),
  },
  { requiredKeys: ['scenario', 'schedule', 'step', 'compare'] },
);

describe('comparison links', () => {
  it('round-trip every comparison (seed 20261205)', () => {
    fc.assert(
      fc.property(state, (s) => {
        expect(decodeUrl(encodeUrl(s))).toEqual({ ok: true, state: s });
      }),
      { seed: 20261205, numRuns: 500 },
    );
  });

  it('stay readable: compare=pinned@6.12, not %40', () => {
    expect(
      encodeUrl({
        scenario: 'aba',
        variant: 'buggy',
        kernel: '6.12',
        schedule: 'canonical',
        step: 9,
        compare: 'pinned@6.12',
        row: 10,
      }),
    ).toBe('#/aba?variant=buggy&kernel=6.12&schedule=canonical&step=9&compare=pinned@6.12&row=10');
  });

  it('leave links without a comparison as they were', () => {
    expect(encodeUrl({ scenario: 'aba', schedule: 'canonical', step: 0 })).toBe(
      '#/aba?schedule=canonical&step=0',
    );
  });

  it.each([
    ['compare=', /compare='' \(expected a variant, variant@kernel or @kernel/],
    ['compare=@', /malformed: compare='@'/],
    ['compare=pinned@', /malformed: compare='pinned@'/],
    ['compare=Pinned', /malformed/],
    ['compare=<b>x</b>', /malformed: compare='<b>x<\/b>'/],
    ['compare=pinned&row=x', /row in the link is not a number: row='x'/],
    ['row=3', /row= without compare=/],
  ])('refuse %s with a clear message', (query, message) => {
    const d = decodeUrl(`#/aba?variant=buggy&${query}`);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toMatch(message);
  });
});
