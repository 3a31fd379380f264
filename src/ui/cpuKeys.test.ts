import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_KEYED_CPUS, cpuKey, threadForKey } from './cpuKeys';

/** The key event a user's press of the hinted key produces (US layout). */
function press(shortcut: string) {
  const shift = shortcut.startsWith('Shift+');
  const digit = shortcut.replace('Shift+', '');
  const shifted = ')!@#$%^&*('[Number(digit)] ?? '';
  return { key: shift ? shifted : digit, code: `Digit${digit}`, shiftKey: shift };
}

describe('CPU keys', () => {
  it.each([
    [0, '1'],
    [8, '9'],
    [9, '0'],
    [10, '⇧1'],
    [19, '⇧0'],
  ])('thread %i is picked by %s', (t, label) => {
    expect(cpuKey(t)?.label).toBe(label);
  });

  it('every thread up to the limit has a key, and that key picks it back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_KEYED_CPUS - 1 }), (t) => {
        const k = cpuKey(t);
        expect(k).not.toBeNull();
        expect(threadForKey(press(k?.shortcut ?? ''))).toBe(t);
      }),
    );
    expect(cpuKey(MAX_KEYED_CPUS)).toBeNull();
  });

  it('keys that are not digits pick nothing', () => {
    expect(threadForKey({ key: 't', code: 'KeyT', shiftKey: false })).toBeNull();
    expect(threadForKey({ key: 'ArrowRight', code: 'ArrowRight', shiftKey: false })).toBeNull();
  });

  it('the number pad picks the first layer too', () => {
    expect(threadForKey({ key: '3', code: 'Numpad3', shiftKey: false })).toBe(2);
  });
});
