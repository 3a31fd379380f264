import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Growable } from './growable';
import {
  loadRecord,
  putRecord,
  putSuccessor,
  readBatch,
  recordEnd,
  startBatch,
} from './partitionWire';

/** A base state and states that differ from it anywhere, by any int32 (negative and large included). */
const caseArb = fc.integer({ min: 1, max: 40 }).chain((len) =>
  fc.record({
    base: fc.array(fc.integer(), { minLength: len, maxLength: len }),
    states: fc.array(
      fc.array(fc.option(fc.integer(), { nil: undefined }), { minLength: len, maxLength: len }),
      {
        maxLength: 8,
      },
    ),
    heads: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  }),
);

/** The (index, value) pairs where `s` differs from `base`, indices ascending, as a worker writes them. */
function pairsOf(base: Int32Array, s: Int32Array): { pairs: Int32Array; k: number } {
  const pairs = new Int32Array(2 * s.length);
  let k = 0;
  s.forEach((v, i) => {
    if (v !== base[i]) {
      pairs[k++] = i;
      pairs[k++] = v;
    }
  });
  return { pairs, k };
}

const states = (base: Int32Array, rows: (number | undefined)[][]) =>
  rows.map((r) => Int32Array.from(r, (v, i) => (v === undefined ? (base[i] as number) : v)));

describe('the partitioned search wire format', () => {
  it('property (seed 0x3a11): records read back as the states written, and recordEnd finds each end', () => {
    fc.assert(
      fc.property(caseArb, ({ base, states: rows, heads }) => {
        const b0 = Int32Array.from(base);
        const ss = states(b0, rows);
        const g = new Growable(Uint8Array, 1);
        const starts: number[] = [];
        ss.forEach((s, j) => {
          const { pairs, k } = pairsOf(b0, s);
          starts.push(g.length);
          putRecord(g, heads[j] as number, pairs, 0, k >> 1, b0);
        });
        const out = new Int32Array(b0.length);
        let at = 0;
        ss.forEach((s, j) => {
          expect(at).toBe(starts[j]);
          expect(loadRecord(g.a, at, b0, out)).toBe(heads[j]);
          expect([...out]).toEqual([...s]);
          at = recordEnd(g.a, at);
        });
        expect(at).toBe(g.length);
      }),
      { seed: 0x3a11, numRuns: 300 },
    );
  });

  it('property (seed 0x3a12): a batch gives back its source, and each edge with its pairs', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: 0, max: 300 }),
        ({ base, states: rows, heads }, source) => {
          const b0 = Int32Array.from(base);
          const ss = states(b0, rows);
          const g = new Growable(Uint8Array, 1);
          startBatch(g, source);
          const sent = ss.map((s, j) => {
            const { pairs, k } = pairsOf(b0, s);
            putSuccessor(g, heads[j] as number, pairs, k, b0);
            return { edge: heads[j], pairs: [...pairs.subarray(0, k)] };
          });
          const got: { edge: number; pairs: number[] }[] = [];
          const scratch = new Int32Array(2 * b0.length);
          readBatch(g.a.slice(0, g.length), b0, scratch, (src, edge, n) => {
            expect(src).toBe(source);
            got.push({ edge, pairs: [...scratch.subarray(0, 2 * n)] });
          });
          expect(got).toEqual(sent);
        },
      ),
      { seed: 0x3a12, numRuns: 300 },
    );
  });
});
