import { describe, expect, it } from 'vitest';
import {
  KERNEL_VERSIONS,
  Machine,
  ProgramBuilder,
  SPTE,
  declaredOrder,
  exploreStateGraph,
  runSchedule,
  type KernelVersion,
  type ScenarioInstance,
} from '../engine';
import { SCENARIOS, UnknownScenarioError, instantiate, kernelsOf } from './catalog';
import { listScenarios } from './report';

const every = SCENARIOS.flatMap((s) =>
  s.variants.flatMap((v) => kernelsOf(s, v.id).map((k) => [s.id, v.id, k] as const)),
);

/**
 * What each variant shows under its canonical schedule, per kernel: the
 * violation kinds (data loss, deadlock, lock rules), or none.
 */
const CANONICAL: Record<string, string[] | Partial<Record<KernelVersion, string[]>>> = {
  'aba/buggy': ['lost-dirty-log'],
  'dirty-bit-loss/buggy': ['lost-dirty-bit'],
  'dirty-bit-scaled/buggy': ['lost-dirty-bit'],
  'srcu-deadlock/deadlock': ['deadlock', 'lock-order', 'srcu-rule'],
  'srcu-deadlock/timing': ['lock-order', 'srcu-rule'],
  'notifier-retry/no-recheck': ['stale-mapping'],
  'tlb-flush/w-keyed': ['stale-tlb-write'],
  'tlb-flush/stale-decision': ['stale-tlb-write'],
  'hotplug-order/inverted': ['lock-order'],
  'mn-invalidate/notifier-takes-slots-lock': ['deadlock'],
  'access-tracking/non-atomic-restore': { '6.8': ['lost-dirty-bit'], '6.12': ['lost-dirty-bit'] },
  'access-tracking/aging-window': { '6.8': ['lost-dirty-bit'], '6.12': ['lost-dirty-bit'] },
  'tdp-mmu/plain-store': { '6.8': ['lost-dirty-bit'], '6.12': ['lost-dirty-bit'] },
  'dirty-ring/no-harvested-check': ['lost-dirty-log'],
  'd-bit-logging/zap-drops-d': ['lost-dirty-bit'],
  'clear-dirty-log/plain-clear': ['lost-dirty-log'],
  'clear-dirty-log/copy-before-clear': ['lost-dirty-log'],
};

function expected(id: string, variant: string, k: KernelVersion): string[] {
  const e = CANONICAL[`${id}/${variant}`];
  if (e === undefined) return [];
  return Array.isArray(e) ? e : (e[k] ?? []);
}

describe('every scenario in every kernel it models', () => {
  it.each(every)('%s / %s (%s): the canonical schedule shows what it should', (id, v, k) => {
    const inst = instantiate(id, v, {}, k);
    expect(inst.kernel).toBe(k);
    const run = runSchedule(inst, inst.canonical, { complete: true });
    expect([...new Set(run.violations.map((x) => x.kind))].sort()).toEqual(expected(id, v, k));
    // Narration in order, each chapter starting on its thread's step.
    const starts = inst.chapters.map((c) => c.start);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    for (const c of inst.chapters) expect(inst.canonical[c.start]).toBe(c.thread);
  });

  // aba's state space takes seconds per kernel; it is explored in scenarios.test.ts for 6.12.
  const safe = every.filter(([id, v, k]) => id !== 'aba' && expected(id, v, k).length === 0);
  it.each(safe)('%s / %s (%s): no interleaving violates anything', (id, v, k) => {
    const r = exploreStateGraph(instantiate(id, v, {}, k));
    expect(r.complete).toBe(true);
    expect(r.violatingExecutions).toBe(0);
    expect(r.lockRules).toEqual([]);
  });

  it('the listing names the kernels of each variant and why some are missing', () => {
    const dbl = listScenarios().find((s) => s.id === 'dirty-bit-loss');
    expect(dbl?.variants[0]?.kernels).toEqual(['6.8', '6.12']);
    expect(dbl?.variants[0]?.kernelNote).toMatch(/fault time/);
    const hot = listScenarios().find((s) => s.id === 'hotplug-order');
    expect(hot?.variants.find((v) => v.id === 'usage-lock')?.kernels).toEqual(['6.12', '7.2']);
    expect(hot?.variants.find((v) => v.id === 'inverted')?.kernels).toEqual([...KERNEL_VERSIONS]);
  });

  it('refuses a variant in a kernel that does not have it, saying why', () => {
    expect(() => instantiate('dirty-bit-loss', 'buggy', {}, '7.2')).toThrow(
      /dirty-bit-loss is not modelled for 7\.2: .*kvm_release_faultin_page.*\(available: 6\.8, 6\.12\)/,
    );
    expect(() => instantiate('hotplug-order', 'usage-lock', {}, '6.8')).toThrow(
      /hotplug-order usage-lock is not modelled for 6\.8: kvm_usage_lock was split out/,
    );
    expect(() => instantiate('aba', 'buggy', {}, '6.13')).toThrow(UnknownScenarioError);
    expect(() => instantiate('aba', 'buggy', {}, '6.13')).toThrow(/known: 6\.8, 6\.12, 7\.2/);
  });
});

describe('what changes with the kernel version', () => {
  const texts = (inst: ScenarioInstance) =>
    inst.threads.flatMap((t) => t.program.map((op) => op.text)).join('\n');

  it('7.2 decides atomic zaps and updates with spte_needs_atomic_update', () => {
    expect(texts(instantiate('aba', 'buggy', {}, '6.12'))).toContain('spte_has_volatile_bits');
    const t72 = texts(instantiate('aba', 'buggy', {}, '7.2'));
    expect(t72).toContain('spte_needs_atomic_update');
    expect(t72).not.toContain('spte_has_volatile_bits');
    expect(t72).toContain('kvm_release_faultin_page');
  });

  it('6.8 pins with kvm_vcpu_gfn_to_pfn_atomic, 6.12 with gfn_to_pfn_memslot_atomic', () => {
    expect(texts(instantiate('aba', 'pinned', {}, '6.8'))).toContain('kvm_vcpu_gfn_to_pfn_atomic');
    expect(texts(instantiate('aba', 'pinned', {}, '6.12'))).toContain('gfn_to_pfn_memslot_atomic');
  });

  it('lock-order messages cite the version whose locking.rst they check', () => {
    for (const k of KERNEL_VERSIONS) {
      const inst = instantiate('hotplug-order', 'inverted', {}, k);
      const run = runSchedule(inst, inst.canonical, { complete: true });
      expect(run.violations.some((v) => v.message.includes(`locking.rst (${k})`))).toBe(true);
    }
  });

  it('7.2 declares vcpu->mutex outside slots_lock; a run taking it inside is flagged in 7.2 only', () => {
    expect(declaredOrder('7.2')).toContainEqual(['vcpu->mutex', 'kvm->slots_lock']);
    expect(declaredOrder('6.12')).not.toContainEqual(['vcpu->mutex', 'kvm->slots_lock']);
    const b = new ProgramBuilder({ fn: 'f', file: 'virt/kvm/kvm_main.c' });
    b.lock('kvm->slots_lock', 'excl', 'mutex_lock(&kvm->slots_lock);');
    b.lock('vcpu->mutex', 'excl', 'mutex_lock(&vcpu->mutex);');
    b.unlock('vcpu->mutex', 'excl', 'mutex_unlock(&vcpu->mutex);');
    b.unlock('kvm->slots_lock', 'excl', 'mutex_unlock(&kvm->slots_lock);');
    const base = instantiate('hotplug-order', 'inverted');
    const inst = (kernel: KernelVersion): ScenarioInstance => ({
      ...base,
      kernel,
      machine: {
        ...base.machine,
        locks: [
          { name: 'kvm->slots_lock', type: 'mutex' },
          { name: 'vcpu->mutex', type: 'mutex' },
        ],
      },
      threads: [{ name: 'T', role: 'r', program: b.build() }],
      canonical: [],
      chapters: [],
    });
    const kinds = (k: KernelVersion) =>
      runSchedule(inst(k), [], { complete: true }).violations.map((v) => v.kind);
    expect(kinds('6.12')).toEqual([]);
    expect(kinds('7.2')).toEqual(['lock-order']);
    expect(exploreStateGraph(inst('7.2')).lockRules.map((r) => r.kind)).toEqual(['lock-order']);
  });
});

describe('access-tracking (locking.rst, "Lockless Access Tracking")', () => {
  const spteAt = (inst: ScenarioInstance, states: Int32Array[], step: number) =>
    states[step]?.[new Machine(inst).layout.index('spte', 0)] ?? -1;

  it('life cycle: access-tracked after aging, R/X restored with W clear, W back on a write', () => {
    const inst = instantiate('access-tracking', 'lifecycle');
    const run = runSchedule(inst, inst.canonical, { complete: true });
    const [, aged, read, write] = inst.chapters.map((c) => c.start);
    const rwx = (s: number) => s & (SPTE.R | SPTE.W | SPTE.X);
    expect(rwx(spteAt(inst, run.states, aged ?? 0))).toBe(SPTE.R | SPTE.W | SPTE.X);
    const tracked = spteAt(inst, run.states, read ?? 0);
    expect(rwx(tracked)).toBe(0);
    expect(tracked & (SPTE.SAVED_R | SPTE.SAVED_X)).toBe(SPTE.SAVED_R | SPTE.SAVED_X);
    expect(rwx(spteAt(inst, run.states, write ?? 0))).toBe(SPTE.R | SPTE.X);
    expect(
      rwx(run.states[run.states.length - 1]?.[new Machine(inst).layout.index('spte', 0)] ?? 0),
    ).toBe(SPTE.R | SPTE.W | SPTE.X);
    expect(run.violations).toEqual([]);
  });

  it('non-atomic restore: the plain store wipes the W another vCPU just set', () => {
    const inst = instantiate('access-tracking', 'non-atomic-restore');
    const run = runSchedule(inst, inst.canonical, { complete: true });
    const v = run.violations[0];
    expect(v?.kind).toBe('lost-dirty-bit');
    const ops = (v?.causes ?? []).map((s) => {
      const ev = run.events[s];
      return inst.threads[ev?.thread ?? -1]?.program[ev?.pc ?? -1]?.text ?? '';
    });
    expect(ops.some((t) => t.includes('plain store'))).toBe(true);
  });

  it('aging window (H4): found in 6.12 by the explorer, closed by 7.2 cmpxchg aging', () => {
    const r612 = exploreStateGraph(instantiate('access-tracking', 'aging-window', {}, '6.12'));
    expect(r612.violationsByKind).toHaveProperty('lost-dirty-bit');
    const inst = instantiate('access-tracking', 'aging-window', {}, '7.2');
    const run = runSchedule(inst, inst.canonical, { complete: true });
    const outcomes = run.events.map((e) => e.outcome ?? '');
    expect(outcomes.some((o) => o.startsWith('cmpxchg failed'))).toBe(true);
    expect(exploreStateGraph(inst).violatingExecutions).toBe(0);
  });
});

describe('tlb-flush D2 (the fast-path angle)', () => {
  it('a flush decided on a stale read leaves the writable entry the fast path just created', () => {
    const inst = instantiate('tlb-flush', 'stale-decision');
    const run = runSchedule(inst, inst.canonical, { complete: true });
    expect(run.violations.map((v) => v.kind)).toEqual(['stale-tlb-write']);
    expect(inst.threads.map((t) => t.name)).toEqual(['vCPU1', 'vCPU2']);
  });

  it('mmu_spte_update re-reads, sees W=1 and flushes: no interleaving writes through a stale entry', () => {
    const r = exploreStateGraph(instantiate('tlb-flush', 'reread'));
    expect(r.complete).toBe(true);
    expect(r.violatingExecutions).toBe(0);
    expect(
      exploreStateGraph(instantiate('tlb-flush', 'stale-decision')).violatingExecutions,
    ).toBeGreaterThan(0);
  });
});
