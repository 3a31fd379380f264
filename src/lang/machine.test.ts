/** `@kvm { ... }`: the machine declared field by field, its errors, and the older forms. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SPTE, type MachineDef } from '../engine';
import { exploreLitmus, parseScenario } from './index';
import { printMachineFields, printSpte } from './machinePrinter';
import { printScenario } from './printer';
import { SCENARIOS } from '../scenarios/catalog';
import { compiled } from './testing';

const P1 = 'P0() {\n  @thread("vCPU0", "guest write", 0);\n  kvm_page_fault(0, 1, 0);\n}\n';
const withInit = (init: string, threads = P1) => `C m\n{\n${init}\n}\n${threads}exists (true)\n`;
const machineOf = (init: string): MachineDef => compiled(withInit(init)).instance.machine;
const errorOf = (init: string) => {
  const r = parseScenario(withInit(init));
  if (r.ok) throw new Error('expected an error');
  const [e] = r.errors;
  // The init block starts on line 3 of withInit's text.
  return { at: `${(e?.line ?? 0) - 2}:${e?.col}`, message: e?.message ?? '' };
};

describe('@kvm { ... }', () => {
  it('declares the indirect machine of the ABA story, field by field', () => {
    const m = machineOf(`@kvm {
      vcpus = 2;
      gfns T, gfn1, gfn2;
      indirect;
      gpt = T;
      gpte[0] = gfn1;
      spte gva0 = pfn1 | Present | R | X | A | HostW | MmuW -> gfn1;
      page pfn1 = gfn1 clean;
      page pfn2 = free;
      page pfn3 = T;
      host_map T -> pfn3, gfn1 -> pfn1;
      dirty_logging;
      rwlock mmu_lock;
    }`);
    const spte = (1 << 16) | SPTE.MMU_PRESENT | SPTE.R | SPTE.X | SPTE.A;
    expect(m).toStrictEqual({
      gfnNames: ['T', 'gfn1', 'gfn2'],
      pfns: 3,
      slots: [{ name: 'gva0', spte: spte | SPTE.HOST_WRITABLE | SPTE.MMU_WRITABLE, gfn: 1 }],
      indirect: true,
      gptes: [1],
      gptGfn: 0,
      vcpus: 2,
      pages: [
        { pfn: 1, gfn: 1, dirty: false },
        { pfn: 2, gfn: null },
        { pfn: 3, gfn: 0 },
      ],
      hostMap: { 0: 3, 1: 1 },
      dirtyLogging: true,
      locks: [{ name: 'mmu_lock', type: 'rwlock' }],
      srcu: [],
    } satisfies MachineDef);
  });

  it.each([
    [
      'dirty ring, PML, no TLB, bitmap',
      'gfns A, B; dirty_ring = 4; pml; tlb = false; dirty_bitmap = B',
      { dirtyRing: { size: 4 }, pml: true, tlb: false, dirtyBitmap: 2 },
    ],
    ['an empty bitmap is 0, not absent', 'gfns A; dirty_bitmap = 0', { dirtyBitmap: 0 }],
    [
      'kernel lock names, SRCU, vars',
      'mutex kvm->slots_lock; srcu kvm->srcu; var memslots_generation = -1',
      {
        locks: [{ name: 'kvm->slots_lock', type: 'mutex' }],
        srcu: ['kvm->srcu'],
        vars: { memslots_generation: -1 },
      },
    ],
    [
      'pfns beyond the pages, quoted names',
      'gfns "free", "a b"; pfns = 5; page pfn2 = "a b" dirty accessed',
      {
        gfnNames: ['free', 'a b'],
        pfns: 5,
        pages: [{ pfn: 2, gfn: 1, dirty: true, accessed: true }],
      },
    ],
    [
      '`vcpus 2` without =, true written out',
      'vcpus 2; dirty_logging = true; indirect = false',
      { vcpus: 2, dirtyLogging: true, indirect: false },
    ],
  ])('%s', (_label, fields, expected) => {
    expect(machineOf(`@kvm { ${fields}; }`)).toMatchObject(expected);
  });

  it('defaults: one vCPU, nothing else', () => {
    expect(machineOf('@kvm { }')).toStrictEqual({
      gfnNames: [],
      pfns: 0,
      slots: [],
      indirect: false,
      gptes: [],
      vcpus: 1,
      pages: [],
      hostMap: {},
      dirtyLogging: false,
      locks: [],
      srcu: [],
    });
  });

  it('@kvm(vcpus, dirty_logging) is sugar for the one-gfn machine it spells out', () => {
    const sugar = compiled(withInit('@kvm(1, 1);'));
    const spelled = compiled(
      withInit(`@kvm {
        vcpus = 1;
        gfns G;
        spte G = pfn1 | Present | R | X | A | HostW | MmuW;
        page pfn1 = G clean;
        host_map G -> pfn1;
        dirty_logging;
        rwlock mmu_lock;
      }`),
    );
    expect(spelled.instance).toStrictEqual(sugar.instance);
  });

  it("a machine declared in the block runs the kernel's paths: a hand-made harvest loses a write", () => {
    const text = withInit(
      '@kvm { vcpus = 1; gfns G; spte G = pfn1 | Present | R | X | A | HostW | MmuW; page pfn1 = G; host_map G -> pfn1; dirty_logging; rwlock mmu_lock; }',
      `${P1}P1() {\n  int r0;\n  r0 = xchg(dirty_bitmap[0], 0);\n}\n`,
    );
    const { test, instance } = compiled(text);
    const kinds = exploreLitmus(test, instance).result.violations.map((v) => v.kind);
    expect(kinds).toContain('lost-dirty-log');
  });

  it.each([
    ['aba', 'buggy'],
    ['srcu-deadlock', 'deadlock'],
    ['dirty-ring', undefined],
  ])(
    '%s: the text earlier versions printed (@machine JSON) opens as the same instance',
    (id, v) => {
      const d = SCENARIOS.find((s) => s.id === id);
      if (!d) throw new Error(`no built-in ${id}`);
      const inst = d.build(v ?? d.variants[0]?.id ?? '', {}, '6.12');
      const printed = printScenario(inst);
      const block = ['  @kvm {', ...printMachineFields(inst.machine).map((l) => `    ${l}`), '  }'];
      const old = printed.replace(
        block.join('\n'),
        `  @machine(${JSON.stringify(JSON.stringify(inst.machine))});`,
      );
      expect(old).not.toBe(printed);
      const back = parseScenario(old);
      expect(back.ok && back.instance).toStrictEqual(inst);
    },
  );

  it('the JSON of earlier versions is still read (old links and files)', () => {
    const m = machineOf('@kvm(2, 0);');
    expect(machineOf(`@machine(${JSON.stringify(JSON.stringify(m))});`)).toStrictEqual(m);
  });
});

describe('SPTE values', () => {
  it.each([
    [0, 'NONPRESENT'],
    [SPTE.FROZEN_MARK, 'FROZEN_SPTE'],
    [(2 << 16) | SPTE.MMU_PRESENT | SPTE.W | SPTE.D, 'pfn2 | Present | W | D'],
    [SPTE.MMU_PRESENT | SPTE.AD_DISABLED | SPTE.SAVED_R, 'Present | AD_off | savedR'],
    [(1 << 16) | 0x2000, 'pfn1 | 0x2000'],
  ])('%i prints as %s and reads back', (v, text) => {
    expect(printSpte(v)).toBe(text);
    expect(machineOf(`@kvm { gfns G; spte G = ${text}; }`).slots[0]?.spte).toBe(v);
  });

  it("accepts the engine's constant names too", () => {
    const v = machineOf('@kvm { gfns G; spte G = MMU_PRESENT | HOST_WRITABLE | MMU_W; }');
    expect(v.slots[0]?.spte).toBe(SPTE.MMU_PRESENT | SPTE.HOST_WRITABLE | SPTE.MMU_WRITABLE);
  });
});

describe('@kvm { ... } errors name the place and the fix', () => {
  it.each([
    ['@kvm { vcpu = 2; }', '1:8', "did you mean 'vcpus'?"],
    ['@kvm { gfns A, B; spte A = Present -> C; }', '1:39', "unknown gfn 'C' (gfns: A, B)"],
    ['@kvm { gfns gfn1; page pfn1 = gfn2; }', '1:31', "did you mean 'gfn1'?"],
    ['@kvm { spte G = Present; }', '1:13', "unknown gfn 'G': declare it, e.g. 'gfns G;'"],
    ['@kvm { gfns G; spte G = Present | MmuWritable; }', '1:35', "did you mean 'MMU_WRITABLE'?"],
    ['@kvm { vcpus = 99; }', '1:8', 'vcpus 99 is out of range 0..16'],
    ['@kvm { vcpus = 1;\n vcpus = 2; }', '2:2', "field 'vcpus' is declared twice (first at 3:8)"],
    ['@kvm { gfns A; gpte[1] = A; }', '1:16', 'gpte[0] is missing'],
    ['@kvm { dirty_ring = 3; }', '1:8', 'dirty_ring 3 is not a power of two'],
    ['@kvm { gfns A; pfns = 1; host_map A -> pfn2; }', '1:35', 'host_map names pfn2, but pfns = 1'],
    ['@kvm { gfns A; page pfn0 = A; }', '1:16', 'pfn0 means "no page"'],
    ['@kvm { gfns A; host_map A pfn1; }', '1:27', "expected '->' and the pfn after A"],
    ['@kvm { gfns A; page pfn1 = A sticky; }', '1:30', 'expected dirty, clean, accessed'],
    [
      '@kvm { var dirty_bitmap = 1; }',
      '1:8',
      "var 'dirty_bitmap' is the name of a machine location",
    ],
    ['@kvm { mutex l; spinlock l; }', '1:17', "lock 'l' is declared twice"],
    ['@kvm { gfns A vcpus = 1; }', '1:15', "';' or '}' after a machine field"],
    ['@kvm(1, 1);\n@kvm { vcpus = 2; }', '2:1', 'the machine is already declared at 3:1'],
    ['@kvm { gfns G; spte G = toString; }', '1:25', "unknown SPTE bit 'toString'"],
    ['@kvm { gfns G; page pfn300 = G; }', '1:16', 'page pfn300: at most 256 page frames'],
    [
      '@kvm { gfns G; page pfn1 = G;\n page pfn1 = free; }',
      '2:2',
      "page 'pfn1' is declared twice (first at 3:16)",
    ],
  ])('%s', (init, at, message) => {
    const e = errorOf(init);
    expect(e.message).toContain(message);
    expect(e.at).toBe(at);
  });
});

describe("the README's machine", () => {
  it('is what `show aba` prints, so the README cannot go stale', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Declaring the KVM machine'));
    const block = /```\n(@kvm \{[\s\S]*?\n\})\n```/.exec(section)?.[1];
    const aba = SCENARIOS.find((d) => d.id === 'aba')?.build('buggy', {}, '6.12');
    if (!aba || block === undefined) throw new Error('README section or aba scenario not found');
    const printed = ['@kvm {', ...printMachineFields(aba.machine).map((l) => `  ${l}`), '}'];
    expect(block.split('\n')).toEqual(printed);
    expect(machineOf(block)).toStrictEqual(aba.machine);
  });
});

describe('@kvm { ... } bounds', () => {
  it('a 200000-character declaration is refused at the first name past the limit, at once', () => {
    const names = Array.from({ length: 25_000 }, (_, i) => `g${i}`).join(', ');
    const started = performance.now();
    const e = errorOf(`@kvm { gfns ${names}; }`);
    expect(e.message).toBe('more than 32 gfns');
    expect(e.at).toBe(`1:${13 + names.indexOf('g32')}`);
    // Quadratic checks of 25000 names would take seconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
