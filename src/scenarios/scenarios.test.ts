import { describe, expect, it } from 'vitest';
import {
  Machine,
  enumerateExecutions,
  exploreStateGraph,
  runSchedule,
  summarize,
  type ScenarioInstance,
} from '../engine';
import { SCENARIOS, instantiate } from './catalog';

/** The op a step executed, for asserting which kernel line a cause is. */
function opAt(inst: ScenarioInstance, run: ReturnType<typeof runSchedule>, step: number) {
  const ev = run.events[step];
  if (!ev) throw new Error(`no step ${step} in a run of ${run.events.length} steps`);
  const op = inst.threads[ev.thread]?.program[ev.pc];
  if (!op) throw new Error(`step ${step} names no op`);
  return { thread: inst.threads[ev.thread]?.name, op, outcome: ev.outcome };
}

const FIXED = [
  ['aba', 'pinned'],
  ['aba', 'irq-off'],
  ['aba', 'slow-path'],
  ['aba', 'direct'],
  ['dirty-bit-loss', 'fixed'],
] as const;
const BUGGY = [
  ['aba', 'buggy', 'lost-dirty-log'],
  ['dirty-bit-loss', 'buggy', 'lost-dirty-bit'],
] as const;

describe('aba, buggy, canonical schedule (the table of locking.rst)', () => {
  const inst = instantiate('aba', 'buggy');
  const run = runSchedule(inst, inst.canonical, { complete: true });

  it('runs the canonical schedule to the end without needing completion', () => {
    expect(run.schedule).toEqual(inst.canonical);
    expect(run.final).toBe(true);
  });

  it('loses gfn 2 from the dirty bitmap, and nothing else', () => {
    expect(run.violations.map((v) => [v.kind, v.gfn])).toEqual([['lost-dirty-log', 2]]);
    expect(run.violations[0]?.message).toContain('gfn2');
  });

  it('blames the stale read of the SPTE and the cmpxchg that succeeded on it', () => {
    const v = run.violations[0];
    expect(v?.causes).toHaveLength(2);
    const [read, cas] = (v?.causes ?? []).map((s) => opAt(inst, run, s));
    expect(read?.thread).toBe('vCPU0');
    expect(read?.op.text).toContain('mmu_spte_get_lockless');
    expect(cas?.op.k).toBe('cas');
    expect(cas?.outcome).toBe('cmpxchg succeeded');
  });

  it('places the loss at the guest write that lands in pfn1, now gfn2’s page', () => {
    const v = run.violations[0];
    const at = opAt(inst, run, v?.step ?? -1);
    expect(at.op.k).toBe('access');
    expect(at.outcome).toContain("pfn1 (gfn2's page)");
    expect(v?.step).toBeGreaterThan(Math.max(...(v?.causes ?? [])));
  });

  it('leaves gfn1, which nothing wrote after the harvest, in the bitmap instead', () => {
    const final = summarize(new Machine(inst), run.states[run.states.length - 1] as Int32Array);
    expect(final.dirtyBitmap).toEqual(['gfn1']);
    expect(final.writtenSinceCopy).toEqual(['gfn2']);
    expect(final.hostMap['gfn2']).toBe('pfn1');
  });
});

describe('dirty-bit-loss, buggy, canonical schedule', () => {
  const inst = instantiate('dirty-bit-loss', 'buggy');
  const run = runSchedule(inst, inst.canonical, { complete: true });

  it('loses the Dirty bit of pfn 1', () => {
    expect(run.violations.map((v) => [v.kind, v.pfn])).toEqual([['lost-dirty-bit', 1]]);
  });

  it('blames the zap’s read and its plain store, with the cmpxchg and the D-setting write in between', () => {
    const v = run.violations[0];
    const [read, store] = (v?.causes ?? []).map((s) => opAt(inst, run, s));
    expect(read?.op.text).toBe('old_spte = *sptep;');
    expect(store?.op.k).toBe('store');
    expect(v?.step).toBe(v?.causes[1]);
    const racing = (v?.racing ?? []).map((s) => opAt(inst, run, s));
    expect(racing.map((r) => r.op.k)).toEqual(['cas', 'access']);
  });
});

describe.each(FIXED)('%s / %s (fixed)', (scenario, variant) => {
  const inst = instantiate(scenario, variant);

  it('reports nothing under the canonical schedule', () => {
    const run = runSchedule(inst, inst.canonical, { complete: true });
    expect(run.final).toBe(true);
    expect(run.violations).toEqual([]);
  });

  it('has no violating execution over every interleaving', () => {
    const r = exploreStateGraph(inst, { por: false });
    expect(r.complete).toBe(true);
    expect(r.executions).toBeGreaterThan(1000);
    expect(r.violatingExecutions).toBe(0);
    expect(r.counterexample).toBeNull();
  });
});

describe.each(BUGGY)('%s / %s over every interleaving', (scenario, variant, kind) => {
  const inst = instantiate(scenario, variant);
  const r = exploreStateGraph(inst);

  it('finds violating executions of the documented kind only', () => {
    expect(r.complete).toBe(true);
    expect(r.violatingExecutions).toBeGreaterThan(0);
    expect(r.violatingExecutions).toBeLessThan(r.executions ?? 0);
    expect(Object.keys(r.violationsByKind)).toEqual([kind]);
  });

  it('gives a counterexample that a replay reproduces, no longer than the canonical one', () => {
    const cx = r.counterexample ?? [];
    const replay = runSchedule(inst, cx);
    expect(replay.final).toBe(true);
    expect(replay.violations.map((v) => v.kind)).toEqual([kind]);
    expect(cx.length).toBeLessThanOrEqual(inst.canonical.length);
  });
});

describe('every scenario', () => {
  it.each(SCENARIOS.flatMap((s) => s.variants.map((v) => [s.id, v.id])))(
    '%s / %s narrates its canonical schedule in order',
    (scenario, variant) => {
      const inst = instantiate(scenario as string, variant);
      const starts = inst.chapters.map((c) => c.start);
      expect(starts.length).toBeGreaterThan(1);
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
      for (const c of inst.chapters) expect(inst.canonical[c.start]).toBe(c.thread);
      for (const th of inst.threads)
        for (const op of th.program) {
          expect(op.fn, `${th.name}: ${op.text}`).not.toBe('');
          expect(op.file, `${th.name}: ${op.text}`).toMatch(/\.(c|h)$/);
        }
    },
  );
});

describe('state-graph search against plain enumeration', () => {
  it('dirty-bit-loss / buggy: the same executions, outcomes and violating executions', () => {
    const inst = instantiate('dirty-bit-loss', 'buggy');
    const graph = exploreStateGraph(inst, { por: false });
    const naive = enumerateExecutions(inst, { budget: 2_000_000 });
    expect(naive.complete).toBe(true);
    expect(graph.executions).toBe(naive.executions);
    expect(graph.distinctOutcomes).toBe(naive.distinctOutcomes);
    expect(graph.violatingExecutions).toBe(naive.violatingExecutions);
    expect(graph.counterexample?.length).toBe(naive.counterexample?.length);
  }, 60_000);
});

describe('dirty-bit-scaled', () => {
  it.each([
    [1, 1],
    [2, 1],
    [2, 3],
    [3, 1],
  ])('n=%i k=%i: the buggy zap loses a Dirty bit, the fixed one never does', (n, k) => {
    const buggy = exploreStateGraph(instantiate('dirty-bit-scaled', 'buggy', { n, k }));
    const fixed = exploreStateGraph(instantiate('dirty-bit-scaled', 'fixed', { n, k }));
    expect(buggy.complete && fixed.complete).toBe(true);
    expect(Object.keys(buggy.violationsByKind)).toEqual(['lost-dirty-bit']);
    expect(fixed.violatingExecutions).toBe(0);
    // Per SPTE, independently: 0..k of its vCPU's writes landed before the zap (a zap before
    // the cmpxchg leaves the same memory as one after it with no write): (k+1)^n outcomes.
    expect(fixed.distinctOutcomes).toBe((k + 1) ** n);
  });

  it('the canonical schedule loses SPTE 0’s Dirty bit in the buggy variant only', () => {
    for (const [variant, kinds] of [
      ['buggy', ['lost-dirty-bit']],
      ['fixed', []],
    ] as const) {
      const inst = instantiate('dirty-bit-scaled', variant, { n: 3, k: 2 });
      const run = runSchedule(inst, inst.canonical, { complete: true });
      expect(run.violations.map((v) => v.kind)).toEqual(kinds);
      if (variant === 'buggy') expect(run.violations[0]?.pfn).toBe(1);
    }
  });

  it.each([
    [{ n: '0' }, /n of dirty-bit-scaled must be an integer from 1 to 12/],
    [{ n: 'x' }, /must be an integer/],
    [{ m: '2' }, /has no parameter 'm'/],
  ])('rejects parameters %o', (params, message) => {
    expect(() => instantiate('dirty-bit-scaled', 'buggy', params)).toThrow(message);
  });

  it('other scenarios take no parameters', () => {
    expect(() => instantiate('aba', 'buggy', { n: 2 })).toThrow(/aba takes no parameters/);
  });
});

describe('partial-order reduction on the built-in scenarios', () => {
  const cases: [string, string, Record<string, number>][] = [
    ...SCENARIOS.filter((s) => !s.params).flatMap((s) =>
      s.variants.map((v) => [s.id, v.id, {}] as [string, string, Record<string, number>]),
    ),
    ['dirty-bit-scaled', 'buggy', { n: 3, k: 2 }],
    ['dirty-bit-scaled', 'fixed', { n: 4, k: 1 }],
  ];
  it.each(cases)(
    '%s / %s %o: the same final states and verdicts as the full search',
    (id, v, p) => {
      const inst = instantiate(id, v, p);
      const full = exploreStateGraph(inst, { por: false });
      const reduced = exploreStateGraph(inst, { por: true });
      expect(reduced.complete && full.complete).toBe(true);
      const set = (r: typeof full) => new Map(r.outcomes.map((o) => [o.key, o.violations.join()]));
      expect(set(reduced)).toEqual(set(full));
      expect(reduced.states).toBeLessThan(full.states);
    },
  );

  it('sees that the SPTEs of dirty-bit-scaled are independent: n = 8 explores a small graph', () => {
    const r = exploreStateGraph(instantiate('dirty-bit-scaled', 'fixed', { n: 8, k: 1 }));
    expect(r.complete).toBe(true);
    expect(r.distinctOutcomes).toBe(2 ** 8);
    expect(r.violatingExecutions).toBe(0);
    expect(r.states).toBeLessThan(20_000);
  });
});

describe('exploration progress', () => {
  it('reports progress by the clock it is given, with growing counts', () => {
    let clock = 0;
    const seen: number[] = [];
    const r = exploreStateGraph(instantiate('aba', 'direct'), {
      now: () => (clock += 40), // every poll looks like 40 ms of work
      onProgress: (p) => seen.push(p.states),
    });
    expect(seen.length).toBeGreaterThan(10);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen.at(-1)).toBeLessThanOrEqual(r.states);
  });
});

describe('outcome counts', () => {
  it('count the complete schedules ending in each final state, summing to all executions', () => {
    const inst = instantiate('dirty-bit-loss', 'buggy');
    for (const por of [false, true]) {
      const r = exploreStateGraph(inst, { por });
      const sum = r.outcomes.reduce((a, o) => a + (o.executions ?? 0), 0);
      expect(sum).toBe(r.executions);
      const bad = r.outcomes.filter((o) => o.violations.length > 0);
      expect(bad.reduce((a, o) => a + (o.executions ?? 0), 0)).toBe(r.violatingExecutions);
    }
    // Without reduction the counts are those of one-by-one enumeration, outcome by outcome.
    const graph = exploreStateGraph(inst, { por: false });
    const naive = enumerateExecutions(inst, { budget: 2_000_000 });
    const counts = (r: typeof graph) => new Map(r.outcomes.map((o) => [o.key, o.executions]));
    expect(counts(graph)).toEqual(counts(naive));
  });

  it('stop at the first violation when asked', () => {
    const r = exploreStateGraph(instantiate('aba', 'buggy'), { stopAtFirstViolation: true });
    expect(r.complete).toBe(false);
    expect(r.outcomes.some((o) => o.violations.includes('lost-dirty-log'))).toBe(true);
    expect(r.states).toBeLessThan(245_063);
  });
});

describe('srcu-deadlock (locking.rst, "For SRCU")', () => {
  const run = (variant: string) => {
    const inst = instantiate('srcu-deadlock', variant);
    return runSchedule(inst, inst.canonical, { complete: true });
  };

  it('deadlocks under the canonical schedule, with the wait-for cycle', () => {
    const r = run('deadlock');
    const dl = r.violations.find((v) => v.kind === 'deadlock');
    expect(dl?.cycle).toEqual(['vCPU0', 'QEMU']);
    expect(r.violations.map((v) => v.kind).sort()).toEqual(['deadlock', 'lock-order', 'srcu-rule']);
  });

  it('flags the order on a run that does not hang, naming both chains', () => {
    const r = run('timing');
    expect(r.violations.some((v) => v.kind === 'deadlock')).toBe(false);
    const lo = r.violations.find((v) => v.kind === 'lock-order');
    expect(lo?.message).toMatch(/QEMU took kvm->slots_lock \(step \d+\) then kvm->srcu/);
    expect(lo?.message).toMatch(/vCPU0 took kvm->srcu \(step \d+\) then kvm->slots_lock/);
    expect(r.violations.find((v) => v.kind === 'srcu-rule')?.message).toContain(
      'takes kvm->slots_lock inside a kvm->srcu read-side section',
    );
  });

  it('slots_arch_lock inside kvm->srcu is safe under every interleaving', () => {
    expect(run('slots-arch-lock').violations).toEqual([]);
    const r = exploreStateGraph(instantiate('srcu-deadlock', 'slots-arch-lock'), { por: false });
    expect(r.complete).toBe(true);
    expect(r.violatingExecutions).toBe(0);
    for (const o of r.outcomes)
      expect(
        runSchedule(instantiate('srcu-deadlock', 'slots-arch-lock'), o.witness).violations,
      ).toEqual([]);
  });
});

describe('lock rules across every explored run', () => {
  it('srcu-deadlock: the order and the SRCU rule are found by the explorer; slots_arch_lock is clean', () => {
    for (const v of ['deadlock', 'timing']) {
      const r = exploreStateGraph(instantiate('srcu-deadlock', v));
      expect(r.lockRules.map((x) => x.kind).sort()).toEqual(['lock-order', 'srcu-rule']);
    }
    expect(exploreStateGraph(instantiate('srcu-deadlock', 'slots-arch-lock')).lockRules).toEqual(
      [],
    );
  });

  it('the MMU races take no lock in a wrong order and never sleep under mmu_lock', () => {
    for (const [id, v] of [
      ['aba', 'slow-path'],
      ['dirty-bit-loss', 'fixed'],
    ] as const)
      expect(exploreStateGraph(instantiate(id, v)).lockRules).toEqual([]);
  });
});

describe('notifier-retry (model reference H1)', () => {
  it('without the re-check, the fault maps the pfn the host migrated away from', () => {
    const inst = instantiate('notifier-retry', 'no-recheck');
    const r = runSchedule(inst, inst.canonical, { complete: true });
    expect(r.violations.map((v) => [v.kind, v.gfn, v.pfn])).toEqual([['stale-mapping', 0, 1]]);
    expect(r.violations[0]?.message).toContain('use after free');
  });

  it('with the re-check under mmu_lock, no interleaving maps a stale pfn', () => {
    const inst = instantiate('notifier-retry', 'fixed');
    expect(runSchedule(inst, inst.canonical, { complete: true }).violations).toEqual([]);
    const r = exploreStateGraph(inst);
    expect(r.complete).toBe(true);
    expect(r.violatingExecutions).toBe(0);
    expect(exploreStateGraph(instantiate('notifier-retry', 'no-recheck')).violationsByKind).toEqual(
      {
        'stale-mapping': expect.any(Number),
      },
    );
  });
});

describe('tlb-flush (model reference D1)', () => {
  it('a flush keyed on W leaves a stale writable TLB entry that the guest writes through', () => {
    const inst = instantiate('tlb-flush', 'w-keyed');
    const r = runSchedule(inst, inst.canonical, { complete: true });
    expect(r.violations.map((v) => v.kind)).toEqual(['stale-tlb-write']);
    expect(r.events[r.violations[0]?.step ?? -1]?.outcome).toContain(
      'TLB hit on a stale writable entry',
    );
    expect(r.violations[0]?.trail.map((t) => t.role)).toEqual([
      'writable TLB entry cached',
      'MMU-writable cleared',
      'violation',
    ]);
  });

  it('keyed on MMU-writable, no interleaving writes through a stale entry', () => {
    const inst = instantiate('tlb-flush', 'mmu-writable');
    expect(runSchedule(inst, inst.canonical, { complete: true }).violations).toEqual([]);
    const r = exploreStateGraph(inst);
    expect(r.complete).toBe(true);
    expect(r.violatingExecutions).toBe(0);
  });
});

describe('hotplug-order (locking.rst, "cpus_read_lock() vs kvm_lock")', () => {
  it('cpus_read_lock inside kvm_lock is reported against the document and as a cycle, without a hang', () => {
    const inst = instantiate('hotplug-order', 'inverted');
    const r = runSchedule(inst, inst.canonical, { complete: true });
    expect(r.violations.map((v) => v.kind)).toEqual(['lock-order', 'lock-order']);
    expect(r.violations[0]?.message).toContain(
      'locking.rst (6.12) says cpus_read_lock is taken outside kvm_lock',
    );
    expect(r.violations[1]?.message).toContain('possible circular locking dependency');
  });

  it('the documented order is clean in every interleaving', () => {
    const inst = instantiate('hotplug-order', 'documented');
    expect(runSchedule(inst, inst.canonical, { complete: true }).violations).toEqual([]);
    const r = exploreStateGraph(inst);
    expect([r.violatingExecutions, r.lockRules]).toEqual([0, []]);
  });
});

describe('mn-invalidate (locking.rst, mn_active_invalidate_count)', () => {
  it('a notifier taking slots_lock deadlocks with the memslot update, the cycle through the wait', () => {
    const inst = instantiate('mn-invalidate', 'notifier-takes-slots-lock');
    const r = runSchedule(inst, inst.canonical, { complete: true });
    expect(r.violations.map((v) => [v.kind, v.cycle])).toEqual([['deadlock', ['H', 'U']]]);
  });

  it('as documented, no interleaving deadlocks', () => {
    const inst = instantiate('mn-invalidate', 'documented');
    expect(runSchedule(inst, inst.canonical, { complete: true }).violations).toEqual([]);
    const r = exploreStateGraph(inst);
    expect([r.complete, r.violatingExecutions]).toEqual([true, 0]);
  });
});
