import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StateStore } from './stateStore';
import { prng } from './testing';

/** An exact reference: states as JSON strings, ids in insertion order. */
class Reference {
  private readonly ids = new Map<string, number>();
  add(s: Int32Array): number {
    const k = JSON.stringify(Array.from(s));
    const known = this.ids.get(k);
    if (known !== undefined) return ~known;
    this.ids.set(k, this.ids.size);
    return this.ids.size - 1;
  }
  find(s: Int32Array): number {
    return this.ids.get(JSON.stringify(Array.from(s))) ?? -1;
  }
}

// Values that exercise the encoding: equal to the base (zero runs), small, negative
// (zigzag), and wide (five varint bytes).
const value = fc.oneof(
  fc.constant(0),
  fc.integer({ min: -3, max: 3 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
);

describe('StateStore', () => {
  it('property: add and find agree with an exact map, ids dense in insertion order', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .chain((len) =>
            fc.tuple(
              fc.array(value, { minLength: len, maxLength: len }),
              fc.array(fc.array(value, { minLength: len, maxLength: len }), { maxLength: 60 }),
            ),
          ),
        ([base, states]) => {
          const store = new StateStore(Int32Array.from(base));
          const ref = new Reference();
          // Each state twice (the second add finds it), and the base itself.
          for (const x of [...states, ...states, base]) {
            const s = Int32Array.from(x);
            expect(store.add(s)).toBe(ref.add(s));
            expect(store.find(s)).toBe(ref.find(s));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: addPairs (a state as its differences from the base) gives the ids add() gives', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .chain((len) =>
            fc.tuple(
              fc.array(value, { minLength: len, maxLength: len }),
              fc.array(fc.array(value, { minLength: len, maxLength: len }), { maxLength: 60 }),
              fc.array(fc.boolean(), { maxLength: 60 }),
            ),
          ),
        ([base, states, viaPairs]) => {
          const b = Int32Array.from(base);
          const whole = new StateStore(b);
          const mixed = new StateStore(b);
          // Long runs shared with the base, as real states have them.
          const near = states.map((st) => Int32Array.from(st, (v, i) => (i % 3 ? b[i]! : v)));
          for (const [k, s] of [...states.map((st) => Int32Array.from(st)), ...near].entries()) {
            const pairs: number[] = [];
            s.forEach((v, i) => v !== b[i] && pairs.push(i, v));
            const p = Int32Array.from([7, 7, ...pairs]);
            const got = viaPairs[k % Math.max(1, viaPairs.length)]
              ? mixed.addPairs(p, 2, pairs.length / 2)
              : mixed.add(s);
            expect(got).toBe(whole.add(s));
            expect(mixed.find(s)).toBe(whole.find(s));
          }
        },
      ),
    );
  });

  it('property: two states share a key exactly when they are equal', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 8, maxLength: 8 }),
        fc.array(value, { minLength: 8, maxLength: 8 }),
        fc.array(value, { minLength: 8, maxLength: 8 }),
        (base, a, b) => {
          const store = new StateStore(Int32Array.from(base));
          const same = a.every((x, i) => x === b[i]);
          expect(store.keyOf(Int32Array.from(a)) === store.keyOf(Int32Array.from(b))).toBe(same);
        },
      ),
    );
  });

  // Enough states to fill several 1 MB chunks and rehash the table many times.
  it('fuzz (seed 0x5707e): 150,000 states over several chunks, then every one found again', () => {
    const rand = prng(0x5707e);
    const len = 24;
    const store = new StateStore(new Int32Array(len));
    const ref = new Reference();
    const states: Int32Array[] = [];
    let wrong = 0;
    for (let i = 0; i < 150_000; i++) {
      const s = new Int32Array(len);
      // Mostly like the base, a few fields set: as the explorer's states are.
      for (let j = 0; j < 4; j++) s[Math.floor(rand() * len)] = Math.floor(rand() * 2000) - 1000;
      states.push(s);
      if (store.add(s) !== ref.add(s)) wrong++;
    }
    expect(store.size).toBe(new Set(states.map((s) => s.join(','))).size);
    for (const s of states) if (store.find(s) !== ref.find(s)) wrong++;
    expect(wrong).toBe(0);
    expect(store.bytes).toBeGreaterThan(3 << 20);
  });
});
