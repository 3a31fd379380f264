import { describe, expect, it } from 'vitest';
import {
  FROZEN_SPTE,
  exploreStateGraph,
  resolvePlan,
  runSchedule,
  type KernelVersion,
} from '../engine';
import { instantiate } from './catalog';
import { namedSteps } from '../engine/testing';

type Step = ReturnType<typeof namedSteps>[number];

/** The step the same thread takes after `s`. */
const nextOf = (all: Step[], s: Step | undefined) =>
  all.find((x) => x.ev.step > (s?.ev.step ?? Infinity) && x.ev.thread === s?.ev.thread);

const LOSES: readonly KernelVersion[] = ['6.8', '6.12'];

describe('tdp-mmu / plain-store (hypothetical plain store under the read lock)', () => {
  it.each(LOSES)('%s: the canonical schedule loses the Dirty bit of pfn 1', (k) => {
    const inst = instantiate('tdp-mmu', 'plain-store', {}, k);
    const run = runSchedule(inst, inst.canonical, { complete: true });
    expect(run.final).toBe(true);
    expect(run.violations.map((v) => [v.kind, v.pfn])).toEqual([['lost-dirty-bit', 1]]);
    const v = run.violations[0];
    const all = namedSteps(inst, run);
    const [read, store] = (v?.causes ?? []).map((s) => all[s]);
    expect(read?.thread).toBe('T');
    expect(read?.op.text).toContain('iter.old_spte = READ_ONCE');
    expect(store?.op.k).toBe('store');
    expect(store?.op.text).toContain('hypothetical');
    expect((v?.racing ?? []).map((s) => all[s]?.op.k)).toEqual(['access']);
  });

  it.each(LOSES)('%s: the explorer finds the loss on its own, and nothing else', (k) => {
    const r = exploreStateGraph(instantiate('tdp-mmu', 'plain-store', {}, k));
    expect(r.complete).toBe(true);
    expect(r.violatingExecutions).toBeGreaterThan(0);
    expect(Object.keys(r.violationsByKind)).toEqual(['lost-dirty-bit']);
  });

  it('is not modelled for 7.2, where this zap no longer exists', () => {
    expect(() => instantiate('tdp-mmu', 'plain-store', {}, '7.2')).toThrow(
      /recover_huge_pages_range/,
    );
  });
});

describe.each(['6.8', '6.12'] as const)('tdp-mmu / frozen (%s)', (k) => {
  const inst = instantiate('tdp-mmu', 'frozen', {}, k);

  it('no interleaving loses data, deadlocks or breaks a lock rule', () => {
    const r = exploreStateGraph(inst);
    expect(r.complete).toBe(true);
    expect(r.executions).toBeGreaterThan(1000);
    expect(r.violatingExecutions).toBe(0);
    expect(r.lockRules).toEqual([]);
  });

  it('the canonical schedule: T’s cmpxchg fails once, and both vCPUs walk into the frozen SPTE and wait', () => {
    const run = runSchedule(inst, inst.canonical, { complete: true });
    expect(run.final).toBe(true);
    expect(run.violations).toEqual([]);
    const all = namedSteps(inst, run);
    const tCas = all.filter((s) => s.thread === 'T' && s.op.k === 'cas').map((s) => s.ev.outcome);
    expect(tCas).toEqual(['cmpxchg failed: the SPTE changed', 'cmpxchg succeeded']);
    for (const vcpu of ['vCPU0', 'vCPU1']) {
      const sawFrozen = all.find(
        (s) =>
          s.thread === vcpu &&
          s.op.k === 'load' &&
          s.op.fn === 'kvm_tdp_mmu_read_spte' &&
          s.ev.accesses.some((a) => a.kind === 'read' && a.value === FROZEN_SPTE),
      );
      expect(sawFrozen, `${vcpu} reads FROZEN_SPTE in kvm_tdp_mmu_map`).toBeDefined();
      const next = nextOf(all, sawFrozen);
      expect(next?.op.text).toMatch(/is_(frozen|removed)_spte\(iter\.old_spte\)\) goto retry/);
      expect(next?.ev.outcome).toBe('yes');
      // Its RET_PF_RETRY waits, and is released only after T replaced the frozen value.
      const wait = all.find((s) => s.thread === vcpu && s.op.k === 'await');
      const store = all.find((s) => s.thread === 'T' && s.op.k === 'store');
      expect(wait?.ev.step).toBeGreaterThan(store?.ev.step ?? Infinity);
    }
    // T's flush came before the vCPUs' walks into the frozen SPTE.
    const flush = all.find((s) => s.thread === 'T' && s.op.k === 'flush_tlbs');
    expect(flush?.ev.sync).toEqual({ kind: 'tlb-flush', vcpus: [0] });
    expect(run.states.at(-1)?.[0]).not.toBe(FROZEN_SPTE);
  });

  it('two faults install the same SPTE: one cmpxchg fails, RET_PF_RETRY, and the run completes cleanly (H2a)', () => {
    const { schedule } = resolvePlan(inst, [
      { thread: 0 }, // T zaps G completely
      { thread: 1, until: 'w1_install_cas' }, // vCPU0 faults, up to its cmpxchg
      { thread: 2, until: 'r_install_cas' }, // vCPU1 faults, up to its cmpxchg
      { thread: 1, steps: 1 },
      { thread: 2, steps: 1 },
    ]);
    const run = runSchedule(inst, schedule, { complete: true });
    expect(run.final).toBe(true);
    expect(run.violations).toEqual([]);
    const all = namedSteps(inst, run);
    const installs = all.filter(
      (s) => s.thread !== 'T' && s.op.k === 'cas' && /tdp_mmu_set_spte_atomic$/.test(s.op.fn),
    );
    expect(installs.map((s) => [s.thread, s.ev.outcome])).toEqual([
      ['vCPU0', 'cmpxchg succeeded'],
      ['vCPU1', 'cmpxchg failed: the SPTE changed'],
    ]);
    const retry = nextOf(all, installs[1]);
    expect(retry?.op.text).toContain('return RET_PF_RETRY');
    expect(retry?.ev.outcome).toBe('yes');
    // vCPU1's retried read then completes through the SPTE vCPU0 installed.
    const reads = all.filter((s) => s.thread === 'vCPU1' && s.op.k === 'access');
    expect(reads.at(-1)?.ev.outcome).toBe('walk, fill TLB, read');
  });
});
