import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Machine, runSchedule, type ScenarioInstance } from '../engine';
import { SCENARIOS, instantiate } from './catalog';
import { alignRows, compareInstances, cursorsAt, type Comparison } from './compare';
import { nextRowEnd, prevRowEnd } from './compareLines';
import { stepSignature } from './compareSignature';
import { compareTraces, parseSide } from './compareReport';
import { UsageError } from './report';

/** Every step of both sides appears once, in order, and each row is as long as its longer side. */
function expectCovering(c: Comparison) {
  expect(c.lines.flatMap((l) => (l.a === null ? [] : [l.a]))).toEqual(c.a.steps.map((_, i) => i));
  expect(c.lines.flatMap((l) => (l.b === null ? [] : [l.b]))).toEqual(c.b.steps.map((_, i) => i));
  for (const [i, r] of c.rows.entries())
    expect(c.lines.filter((l) => l.row === i)).toHaveLength(
      Math.max(r.a[1] - r.a[0], r.b[1] - r.b[0]),
    );
}

/** A schedule of `length` random runnable choices (a seeded walk), as a user's fork would be. */
function randomSchedule(inst: ScenarioInstance, seed: number, length: number): number[] {
  const m = new Machine(inst);
  let s = m.initial();
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const ready = m.threads.map((_, t) => t).filter((t) => m.blocked(s, t) === null);
    if (ready.length === 0) break;
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const t = ready[x % ready.length] as number;
    s = m.step(s, t, i).state;
    out.push(t);
  }
  return out;
}

describe('compare: aba buggy beside pinned', () => {
  const c = compareInstances(instantiate('aba', 'buggy'), instantiate('aba', 'pinned'));

  it('keeps the six rows of the story, each side running its own', () => {
    expect(c.rowsFrom).toBe('story');
    expect(c.bFollows).toBe('own-story');
    expect(c.rows.map((r) => r.text?.slice(0, 2))).toEqual(['1.', '2.', '4.', '3,', '6.', '7,']);
    expectCovering(c);
  });

  it('marks the pin as the first divergence: the steps before it are the same ops with the same effects', () => {
    const d = c.divergence;
    expect(d).not.toBeNull();
    if (!d) return;
    for (const l of c.lines.slice(0, d.line))
      expect(stepSignature(c.a, l.a ?? -1)).toEqual(stepSignature(c.b, l.b ?? -1));
    const at = c.lines[d.line];
    expect(at?.a).toBeNull();
    expect(c.b.threads[0]?.ops[c.b.steps[at?.b ?? -1]?.pc ?? -1]?.text).toMatch(/pin/);
  });

  it('says only the buggy side loses gfn2 from the dirty log, at the step the engine reports', () => {
    expect(c.b.violations).toEqual([]);
    expect(c.onlyB).toBeNull();
    expect(c.onlyA?.kind).toBe('lost-dirty-log');
    expect(c.onlyA?.step).toBe(c.a.violations[0]?.step);
    expect(c.lines[c.onlyA?.line ?? -1]?.a).toBe(c.onlyA?.step);
  });
});

describe('compare: a variant on two kernels', () => {
  it('finds the kernel where only 6.8 loses the Dirty bit (access-tracking non-atomic-restore)', () => {
    const c = compareTraces(
      'access-tracking',
      { variant: 'non-atomic-restore', kernel: '6.8' },
      {
        kernel: '7.2',
      },
    );
    expect(c.a.kernel).toBe('6.8');
    expect(c.b.kernel).toBe('7.2');
    expect(c.onlyA?.kind).toBe('lost-dirty-bit');
    expect(c.b.violations.map((v) => v.kind)).not.toContain('lost-dirty-bit');
    expectCovering(c);
  });

  it('finds no divergence where the two kernels run the same code (dirty-bit-loss buggy, 6.8 and 6.12)', () => {
    const c = compareTraces(
      'dirty-bit-loss',
      { variant: 'buggy', kernel: '6.8' },
      { kernel: '6.12' },
    );
    expect(c.divergence).toBeNull();
    expect(c.onlyA).toBeNull();
    expect(c.onlyB).toBeNull();
  });
});

describe('compare: B follows A where the stories differ', () => {
  it('aba buggy beside irq-off (different stories) stops B at A’s stopping points', () => {
    const c = compareInstances(instantiate('aba', 'buggy'), instantiate('aba', 'irq-off'));
    expect(c.bFollows).toBe('stops');
    expectCovering(c);
    // Every B row runs only the thread(s) A's row ran (the tail row aside).
    for (const r of c.rows.filter((x) => x.a[1] > x.a[0])) {
      const threadsA = new Set(c.a.steps.slice(r.a[0], r.a[1]).map((e) => e.thread));
      for (const e of c.b.steps.slice(r.b[0], r.b[1])) expect(threadsA.has(e.thread)).toBe(true);
    }
  });

  // Compared with itself, a run must come back step for step: the stops reproduce the schedule.
  for (const seed of [1, 7, 42, 2026, 90210])
    it(`reproduces any schedule of the same build exactly (seed ${seed})`, () => {
      const inst = instantiate('aba', 'buggy');
      const schedule = randomSchedule(inst, seed, 40);
      const c = compareInstances(inst, inst, schedule);
      expect(c.rowsFrom).toBe('schedule');
      expect(c.b.schedule).toBe(c.a.schedule);
      expect(c.divergence).toBeNull();
      expect(runSchedule(inst, schedule, { complete: true }).events).toHaveLength(c.a.steps.length);
    });

  it('a fork keeps the story’s rows up to where it leaves the story, then cuts at thread switches', () => {
    const inst = instantiate('aba', 'buggy');
    const chapters = inst.chapters;
    const fork = (chapters[2]?.start ?? 0) + 1;
    // Up to one step into row 3 as the story goes, then QEMU (thread 3) first.
    const schedule = [...inst.canonical.slice(0, fork), 3];
    const c = compareInstances(inst, instantiate('aba', 'pinned'), schedule);
    expect(c.rowsFrom).toBe('schedule');
    expect(c.rows.slice(0, 3).map((r) => r.text)).toEqual(
      chapters.slice(0, 3).map((ch) => ch.text),
    );
    expect(c.rows[2]?.a).toEqual([chapters[2]?.start, fork]);
    expect(c.rows[3]?.text).toBeNull();
    expect(c.b.steps[c.rows[3]?.b[0] ?? -1]?.thread).toBe(3);
    expectCovering(c);
  });

  it('every built-in compared with itself on its canonical story has no divergence', () => {
    for (const def of SCENARIOS) {
      const inst = instantiate(def.id, def.variants[0]?.id);
      const c = compareInstances(inst, inst);
      expect(c.divergence, def.id).toBeNull();
      expect(
        c.lines.every((l) => l.a === l.b),
        def.id,
      ).toBe(true);
    }
  });
});

describe('compare: alignment', () => {
  it('pads the shorter side of each row and moves both cursors line by line (seed 1205)', () => {
    const lens = fc.array(fc.tuple(fc.nat(6), fc.nat(6)), { maxLength: 8 });
    fc.assert(
      fc.property(lens, (pairs) => {
        let a = 0;
        let b = 0;
        const rows = pairs.map(([x, y]) => {
          const r = {
            text: null,
            a: [a, a + x] as [number, number],
            b: [b, b + y] as [number, number],
          };
          a += x;
          b += y;
          return r;
        });
        const lines = alignRows(rows);
        expect(lines).toHaveLength(pairs.reduce((n, [x, y]) => n + Math.max(x, y), 0));
        expect(cursorsAt(lines, lines.length)).toEqual({ a, b });
        for (let i = 1; i <= lines.length; i++) {
          const before = cursorsAt(lines, i - 1);
          const now = cursorsAt(lines, i);
          expect(now.a - before.a + (now.b - before.b)).toBeGreaterThan(0);
        }
      }),
      { seed: 1205, numRuns: 200 },
    );
  });
});

describe('compare: moving by row', () => {
  // Rows of 3, 0 (both sides empty: no lines), 2 and 1 lines.
  const lines = alignRows([
    { text: null, a: [0, 3], b: [0, 1] },
    { text: null, a: [3, 3], b: [1, 1] },
    { text: null, a: [3, 4], b: [1, 3] },
    { text: null, a: [4, 5], b: [3, 3] },
  ]);
  it.each([
    [0, 3],
    [1, 3],
    [3, 5],
    [5, 6],
    [6, 6],
  ])('PageDown from line %i goes to %i', (from, to) => {
    expect(nextRowEnd(lines, from)).toBe(to);
  });
  it.each([
    [6, 5],
    [5, 3],
    [4, 3],
    [3, 0],
    [1, 0],
    [0, 0],
  ])('PageUp from line %i goes to %i', (from, to) => {
    expect(prevRowEnd(lines, from)).toBe(to);
  });
});

describe('compare: input', () => {
  it.each([
    ['pinned', { variant: 'pinned' }],
    ['pinned@7.2', { variant: 'pinned', kernel: '7.2' }],
    ['@6.8', { kernel: '6.8' }],
    ['', null],
    ['@', null],
    ['pinned@', null],
    ['Pinned', null],
    ['pinned@7.2@6.8', null],
  ])('parseSide(%j)', (text, side) => {
    expect(parseSide(text)).toEqual(side);
  });

  it('refuses the same build twice, an unknown variant and a kernel without the variant', () => {
    expect(() => compareTraces('aba', { variant: 'buggy' }, {})).toThrow(/two different builds/);
    expect(() => compareTraces('aba', {}, { variant: 'nope' })).toThrow(UsageError);
    expect(() =>
      compareTraces('hotplug-order', {}, { variant: 'usage-lock', kernel: '6.8' }),
    ).toThrow(/not modelled for 6.8/);
  });
});

describe('compare: scenario text on two kernels', () => {
  // P1 ages the page P0 faulted in: 6.12 ages under mmu_lock, 7.2 locklessly (RCU).
  const text = `C age\n{ @kvm(1, 1); }\nP0() {\n  @thread("vCPU0", "guest write", 0);\n  kvm_page_fault(0, 1, 0);\n}\nP1() {\n  kvm_age_gfn(0);\n}\nexists (true)\n`;

  it('diverges at the first op where the two kernels’ kvm_age_gfn differ', () => {
    const c = compareTraces('age', { kernel: '6.12' }, { kernel: '7.2' }, { text });
    expect([c.a.kernel, c.b.kernel]).toEqual(['6.12', '7.2']);
    expectCovering(c);
    const d = c.divergence;
    const la = c.lines[d?.line ?? -1];
    const at = (t: typeof c.a, step: number | null | undefined) =>
      t.threads[t.steps[step ?? -1]?.thread ?? -1]?.ops[t.steps[step ?? -1]?.pc ?? -1]?.text;
    expect(at(c.a, la?.a)).toMatch(/KVM_MMU_LOCK/);
    expect(at(c.b, la?.b)).toMatch(/rcu_read_lock/);
    // Every aligned pair before it runs the same op text on both kernels.
    for (const l of c.lines.slice(0, d?.line)) expect(at(c.a, l.a)).toBe(at(c.b, l.b));
  });

  it('finds no divergence when both kernels run the same code (6.8 and 6.12)', () => {
    const c = compareTraces('age', { kernel: '6.8' }, { kernel: '6.12' }, { text });
    expect(c.divergence).toBeNull();
    expect(c.onlyA).toBeNull();
    expect(c.onlyB).toBeNull();
  });

  it('refuses a variant, the same kernel twice and text that does not parse, in one line', () => {
    const cmp =
      (a: object, b: object, t = text) =>
      () =>
        compareTraces('age', a, b, { text: t });
    expect(cmp({}, { variant: 'pinned', kernel: '7.2' })).toThrow(/text has no variants/);
    expect(cmp({ kernel: '7.2' }, {})).toThrow(/two different kernels/);
    expect(cmp({}, { kernel: '7.2' }, 'C x\nP0() {\n  bogus(;\n}\n')).toThrow(UsageError);
    expect(cmp({}, { kernel: '9.9' })).toThrow(/unknown kernel/);
  });
});
