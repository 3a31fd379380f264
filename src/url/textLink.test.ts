import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TEXT_SCENARIO, decodeUrl, encodeUrl, textHash } from './codec';

describe('links that carry scenario text', () => {
  it('round-trips any text with its schedule, step and kernel (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.oneof(fc.constant('canonical'), fc.constant('0.1*3.0')),
        fc.oneof(fc.constant('end' as const), fc.integer({ min: 0, max: 99 })),
        fc.constantFrom('6.12', '7.2'),
        (text, schedule, step, kernel) => {
          const d = decodeUrl(encodeUrl({ scenario: 'ignored', text, schedule, step, kernel }));
          expect(d).toEqual({
            ok: true,
            state: { scenario: TEXT_SCENARIO, text, schedule, step, kernel },
          });
        },
      ),
    );
  });

  it('refuses a text that does not match its hash, and a text cut short', () => {
    const hash = encodeUrl({ scenario: 'x', text: 'C t\n{}\n', schedule: 'canonical', step: 0 });
    const changed = hash.replace(/h=[0-9a-f]{8}/, 'h=00000000');
    const d = decodeUrl(changed);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toMatch(/does not match its checksum '00000000'/);
    const m = /text=([^&]*)/.exec(hash);
    const cut = hash.replace(/text=[^&]*/, `text=${(m?.[1] ?? '').slice(0, 3)}`);
    expect(decodeUrl(cut).ok).toBe(false);
  });

  it('hashes as FNV-1a (the published 32-bit test vectors)', () => {
    expect(textHash('')).toBe('811c9dc5');
    expect(textHash('a')).toBe('e40c292c');
    expect(textHash('foobar')).toBe('bf9cf968');
  });
});
