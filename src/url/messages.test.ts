import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fallbackNote, sentence } from './messages';

describe('messages', () => {
  it.each([
    [
      'step 1: QEMU cannot run: mmu_lock (write) is held by kswapd',
      'Step 1: QEMU cannot run: mmu_lock (write) is held by kswapd.',
    ],
    ["There is no scenario 'nope'.", "There is no scenario 'nope'."],
    ['kswapd cannot run', 'kswapd cannot run.'],
    ['Is this a link?', 'Is this a link?'],
  ])('%s reads as one sentence', (raw, want) => {
    expect(sentence(raw)).toBe(want);
  });

  it('a fallback note is two sentences whatever the error says', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), (err) => {
        fc.pre(err.trim() !== '');
        const note = fallbackNote(err);
        expect(note).toMatch(/[.!?] Showing the default scenario instead\.$/);
      }),
    );
  });
});
