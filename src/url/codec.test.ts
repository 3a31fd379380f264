import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_HASH_LENGTH, decodeUrl, encodeUrl, type UrlState } from './codec';

const id = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,39}$/);
const schedule = fc.oneof(
  fc.constant('canonical'),
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 999 })), {
      minLength: 1,
      maxLength: 30,
    })
    .map((runs) => runs.map(([t, n]) => (n === 1 ? `${t}` : `${t}*${n}`)).join('.')),
);
const state: fc.Arbitrary<UrlState> = fc.record(
  {
    scenario: id,
    variant: id,
    schedule,
    step: fc.oneof(fc.constant('end' as const), fc.integer({ min: 0, max: 999_999 })),
    kernel: fc.constantFrom('6.8', '6.12', '7.2'),
    params: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.integer({ min: 0, max: 9999 }), {
      minKeys: 1,
      maxKeys: 8,
    }),
  },
  { requiredKeys: ['scenario', 'schedule', 'step'] },
);

describe('URL codec', () => {
  it('round-trips every state (seed 20261125)', () => {
    fc.assert(
      fc.property(state, (s) => {
        expect(decodeUrl(encodeUrl(s))).toEqual({ ok: true, state: s });
      }),
      { seed: 20261125, numRuns: 500 },
    );
  });

  it('keeps schedules readable in the link', () => {
    expect(encodeUrl({ scenario: 'aba', variant: 'buggy', schedule: '0*9.1*16', step: 12 })).toBe(
      '#/aba?variant=buggy&schedule=0*9.1*16&step=12',
    );
  });

  it('carries scenario parameters readably', () => {
    const hash = encodeUrl({
      scenario: 'dirty-bit-scaled',
      params: { n: 8, k: 1 },
      schedule: 'canonical',
      step: 0,
    });
    expect(hash).toBe('#/dirty-bit-scaled?params=n:8,k:1&schedule=canonical&step=0');
    expect(decodeUrl(hash)).toEqual({
      ok: true,
      state: {
        scenario: 'dirty-bit-scaled',
        params: { n: 8, k: 1 },
        schedule: 'canonical',
        step: 0,
      },
    });
    expect(decodeUrl('#/x?params=n:<b>')).toEqual({
      ok: false,
      error: "The parameters in the link are malformed: 'n:<b>' (expected e.g. n:8,k:1).",
    });
  });

  it('carries the kernel version', () => {
    const hash = encodeUrl({ scenario: 'aba', kernel: '7.2', schedule: 'canonical', step: 3 });
    expect(hash).toBe('#/aba?kernel=7.2&schedule=canonical&step=3');
    expect(decodeUrl(hash)).toEqual({
      ok: true,
      state: { scenario: 'aba', kernel: '7.2', schedule: 'canonical', step: 3 },
    });
  });

  it('fills in defaults for missing fields', () => {
    expect(decodeUrl('#/aba')).toEqual({
      ok: true,
      state: { scenario: 'aba', schedule: 'canonical', step: 0 },
    });
    expect(decodeUrl('#/dirty-bit-loss?step=end')).toEqual({
      ok: true,
      state: { scenario: 'dirty-bit-loss', schedule: 'canonical', step: 'end' },
    });
  });

  it.each([
    ['#/aba?schedule=0.x.1', /schedule in the link is malformed/],
    ['#/aba?step=-3', /step in the link is not a number/],
    ['#/aba?kernel=latest', /kernel version in the link is malformed: 'latest'/],
    ['#/aba?step=99999999', /step in the link is not a number/],
    ['#/<script>alert(1)</script>', /names no valid scenario: '<script>alert\(1\)<\/script>'/],
    ['#/aba?variant=<img src=x onerror=alert(1)>', /names no valid variant/],
    ['#/%E0%A4%A', /not valid URL encoding/],
    ['#aba', /not of the form/],
    [`#/${'x'.repeat(MAX_HASH_LENGTH + 1)}`, /too long/],
  ])('rejects %s with a message', (hash, message) => {
    const d = decodeUrl(hash);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toMatch(message);
  });

  it('never throws, whatever the hash (seed 7)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (junk) => {
        const d = decodeUrl(`#/${junk}`);
        expect(typeof d.ok).toBe('boolean');
      }),
      { seed: 7, numRuns: 1000 },
    );
  });
});
