/**
 * Properties of `@kvm { ... }`: any valid machine prints and parses back to
 * the identical MachineDef (fast-check), and mutated declarations (seeded
 * fuzz) give either a located one-line error or a machine the engine can lay
 * out, which prints and parses back to itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LockType, type MachineDef, type ScenarioInstance } from '../engine';
import { Layout, initialMemory } from '../engine/layout';
import { parseScenario } from './index';
import { MACHINE_KEYWORDS, PAGE_WORDS, SPTE_BITS } from './machineFields';
import { printScenario } from './printer';
import { prng } from '../engine/testing';

/** A one-thread instance around a machine: the printer's whole path, not only the block. */
const around = (machine: MachineDef): ScenarioInstance => ({
  scenario: 'm',
  variant: 'v',
  machine,
  threads: [{ name: 'P0', role: 'r', program: [] }],
  checks: ['deadlock'],
  canonical: [],
  chapters: [],
});

// Names: identifiers, words the syntax reserves, kernel paths and text that must be quoted.
const nameArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z_]\w{0,6}$/),
  fc.constantFrom('free', 'dirty', 'clean', 'true', 'pfn1', 'Present', 'W', 'NONPRESENT'),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const lockNameArb = fc.oneof(nameArb, fc.constantFrom('kvm->slots_lock', 'kvm.srcu', 'a->b.c'));
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const optBool = fc.option(fc.boolean(), { nil: undefined });
const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const machineArb: fc.Arbitrary<MachineDef> = fc
  .record({
    gfnNames: fc.uniqueArray(nameArb, { maxLength: 6 }),
    pfns: fc.integer({ min: 0, max: 8 }),
  })
  .chain(({ gfnNames, pfns }) => {
    const g = gfnNames.length;
    const gfn = g ? fc.integer({ min: 0, max: g - 1 }) : fc.constant(0);
    const pfn = fc.integer({ min: 0, max: pfns });
    const spte = fc
      .tuple(pfn, fc.integer({ min: 0, max: 0xffff }))
      .map(([p, low]) => (p << 16) | low);
    return fc.record({
      gfnNames: fc.constant(gfnNames),
      pfns: fc.constant(pfns),
      slots: g
        ? fc.uniqueArray(fc.record({ name: nameArb, spte, gfn }), {
            maxLength: 4,
            selector: (s) => s.name,
          })
        : fc.constant([]),
      indirect: fc.boolean(),
      gptes: g ? fc.array(gfn, { maxLength: 3 }) : fc.constant([]),
      gptGfn: g ? fc.option(gfn, { nil: undefined }) : fc.constant(undefined),
      vcpus: fc.integer({ min: 0, max: 16 }),
      tlb: optBool,
      pages: fc
        .uniqueArray(fc.integer({ min: 1, max: Math.max(1, pfns) }), { maxLength: pfns })
        .chain((ps) =>
          fc.tuple(
            ...ps.map((p) =>
              fc
                .record({
                  gfn: g ? fc.option(gfn, { nil: null }) : fc.constant(null),
                  dirty: optBool,
                  accessed: optBool,
                })
                .map((r) => defined({ pfn: p, ...r })),
            ),
          ),
        ),
      hostMap: fc.dictionary(gfn.map(String), pfn, { maxKeys: g }).map((d) => {
        const out: Record<number, number> = {};
        for (const [k, v] of Object.entries(d)) out[Number(k)] = v;
        return out;
      }),
      dirtyLogging: fc.boolean(),
      dirtyBitmap: fc.option(int32, { nil: undefined }),
      dirtyRing: fc.option(
        fc.integer({ min: 0, max: 10 }).map((e) => ({ size: 2 ** e })),
        { nil: undefined },
      ),
      pml: optBool,
      locks: fc.uniqueArray(
        fc.record({
          name: lockNameArb,
          type: fc.constantFrom<LockType>('mutex', 'spinlock', 'rwlock', 'rwsem'),
        }),
        { maxLength: 3, selector: (l) => l.name },
      ),
      srcu: fc.uniqueArray(lockNameArb, { maxLength: 2 }),
      vars: fc.option(
        fc.dictionary(fc.stringMatching(/^v_\w{0,5}$/), int32, { minKeys: 1, maxKeys: 3 }),
        { nil: undefined },
      ),
      cells: fc.option(
        fc.uniqueArray(fc.record({ name: nameArb, init: int32 }), {
          minLength: 1,
          maxLength: 3,
          selector: (c) => c.name,
        }),
        { nil: undefined },
      ),
    });
  })
  // structuredClone: fast-check may build null-prototype objects, which toStrictEqual tells apart.
  .map((m) => structuredClone(defined(m)) as MachineDef);

describe('@kvm { ... } round trip', () => {
  it('any valid machine prints and parses back to the identical MachineDef', () => {
    fc.assert(
      fc.property(machineArb, (machine) => {
        const inst = around(machine);
        const text = printScenario(inst);
        const back = parseScenario(text);
        if (!back.ok) throw new Error(`${JSON.stringify(back.errors)}\n${text}`);
        expect(back.instance.machine).toStrictEqual(machine);
        expect(printScenario(back.instance)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

const BASE = `C m
{
  @kvm {
    vcpus = 2;
    tlb = false;
    gfns T, gfn1, gfn2;
    pfns = 4;
    indirect;
    gpt = T;
    gpte[0] = gfn1;
    spte gva0 = pfn1 | Present | R | X | A | HostW | MmuW -> gfn1;
    page pfn1 = gfn1 clean accessed;
    page pfn2 = free;
    host_map T -> pfn3, gfn1 -> pfn1;
    dirty_logging;
    dirty_bitmap = gfn1 | T;
    dirty_ring = 8;
    pml = false;
    rwlock mmu_lock;
    mutex kvm->slots_lock;
    srcu kvm->srcu;
    var generation = 3;
    cell x = 1;
  }
  @checks("deadlock");
}
P0() {
}
`;
const PIECES = [
  ...MACHINE_KEYWORDS,
  ...PAGE_WORDS,
  ...SPTE_BITS.map(([n]) => n),
  'NONPRESENT',
  ';',
  '=',
  '|',
  '->',
  ',',
  '[',
  ']',
  '{',
  '}',
  'pfn',
  '0',
  '99',
  '-1',
  '"',
  'gfn2',
  'pfn9',
];

describe('@kvm { ... } fuzzing', () => {
  it('the base declaration is valid', () => {
    expect(parseScenario(BASE).ok).toBe(true);
  });
  for (const seed of [1, 7, 42, 2024, 31337]) {
    it(`mutated declarations, seed ${seed}`, () => {
      const rnd = prng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
      let accepted = 0;
      for (let n = 0; n < 300; n++) {
        let t = BASE;
        for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
          const lo = t.indexOf('@kvm');
          const at = lo + Math.floor(rnd() * (t.indexOf('@checks') - lo));
          const r = rnd();
          if (r < 0.3) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rnd() * 6));
          else if (r < 0.7) t = `${t.slice(0, at)} ${pick(PIECES)} ${t.slice(at)}`;
          else {
            const lines = t.split('\n');
            const i = 3 + Math.floor(rnd() * 20);
            lines.splice(i, 0, lines[i + Math.floor(rnd() * 5) - 2] ?? '');
            t = lines.join('\n');
          }
        }
        const res = parseScenario(t);
        if (!res.ok) {
          const lines = t.split('\n').length;
          for (const e of res.errors) {
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.line).toBeLessThanOrEqual(lines);
            expect(e.col).toBeGreaterThanOrEqual(1);
            expect(e.message).not.toContain('\n');
          }
          continue;
        }
        accepted++;
        // Accepted means the engine can lay the machine out, and the printer agrees.
        const m = res.instance.machine;
        expect(() => initialMemory(new Layout(m))).not.toThrow();
        const again = parseScenario(printScenario(res.instance));
        expect(again.ok && again.instance.machine).toStrictEqual(m);
      }
      // Some mutations (a duplicated blank line, an extra ';') keep the text valid.
      expect(accepted).toBeGreaterThan(0);
    });
  }
});
