import { describe, expect, it } from 'vitest';
import {
  KVM_DIRTY_GFN_F_DIRTY,
  Machine,
  exploreStateGraph,
  ringArrays,
  runSchedule,
  type KernelVersion,
  type RunResult,
  type ScenarioInstance,
} from '../engine';
import { instantiate } from './catalog';
import { namedSteps } from '../engine/testing';

/** The value of `name[i]` in the run's final state. */
function final(inst: ScenarioInstance, run: RunResult, name: string, i = 0): number {
  const m = new Machine(inst);
  return run.states.at(-1)?.[m.layout.index(name, i)] ?? NaN;
}

const KERNELS: readonly KernelVersion[] = ['6.12', '7.2'];
const r0 = ringArrays(0);

describe.each(KERNELS)('dirty-ring (%s)', (k) => {
  it('no-harvested-check: the reset invalidates the entry B’s fault pushed after collection; B is lost', () => {
    const inst = instantiate('dirty-ring', 'no-harvested-check', {}, k);
    const run = runSchedule(inst, inst.canonical, { complete: true });
    expect(run.final).toBe(true);
    expect(run.violations.map((v) => [v.kind, v.gfn])).toEqual([['lost-dirty-log', 1]]);
    const all = namedSteps(inst, run);
    // Two pushes by vCPU0 (A, then B), and QEMU collected only the first.
    const pushes = all.filter((s) => s.op.k === 'mark_dirty').map((s) => s.ev.outcome);
    expect(pushes).toEqual([
      "A pushed to vCPU0's ring, entry 0",
      "B pushed to vCPU0's ring, entry 1",
    ]);
    const collected = all.filter(
      (s) => s.thread === 'QEMU' && s.op.text.includes('KVM_DIRTY_GFN_F_RESET'),
    );
    expect(collected).toHaveLength(1);
    const invalidated = all.filter((s) => s.op.text.startsWith('kvm_dirty_gfn_set_invalid'));
    expect(invalidated).toHaveLength(2);
    expect(final(inst, run, r0.resetIndex)).toBe(2);
    expect(final(inst, run, r0.flags, 1)).toBe(0);
    // The loss happens at the invalidation of B's entry: the violation's step is at or after it.
    expect(run.violations[0]?.step).toBeGreaterThanOrEqual(invalidated[1]?.ev.step ?? Infinity);
  });

  it('harvested: the reset stops at B’s entry, which stays dirty for the next collection', () => {
    const inst = instantiate('dirty-ring', 'harvested', {}, k);
    const run = runSchedule(inst, inst.canonical, { complete: true });
    expect(run.violations).toEqual([]);
    expect(final(inst, run, r0.resetIndex)).toBe(1);
    expect(final(inst, run, r0.flags, 1)).toBe(KVM_DIRTY_GFN_F_DIRTY);
    expect(final(inst, run, r0.gfn, 1)).toBe(1);
    const stop = namedSteps(inst, run).find(
      (s) => s.op.text === 'if (!kvm_dirty_gfn_harvested(entry)) break;' && s.ev.outcome === 'yes',
    );
    expect(stop, 'the reset breaks out at the first entry not handed back').toBeDefined();
  });

  it('exploration: the hypothetical reset loses B in some interleavings, the kernel’s in none', () => {
    const bad = exploreStateGraph(instantiate('dirty-ring', 'no-harvested-check', {}, k));
    expect(bad.complete).toBe(true);
    expect(bad.violatingExecutions).toBeGreaterThan(0);
    expect(Object.keys(bad.violationsByKind)).toEqual(['lost-dirty-log']);
    const good = exploreStateGraph(instantiate('dirty-ring', 'harvested', {}, k));
    expect(good.complete).toBe(true);
    expect(good.violatingExecutions).toBe(0);
    expect(good.lockRules).toEqual([]);
  });
});

describe('d-bit-logging', () => {
  it('6.12 zap-drops-d: the Dirty bit the CPU set under the zap reaches neither page nor SPTE', () => {
    const inst = instantiate('d-bit-logging', 'zap-drops-d', {}, '6.12');
    const run = runSchedule(inst, inst.canonical, { complete: true });
    expect(run.violations.map((v) => [v.kind, v.pfn])).toEqual([['lost-dirty-bit', 1]]);
    const all = namedSteps(inst, run);
    const write = all.find((s) => s.op.k === 'access');
    expect(write?.ev.outcome).toContain('PML logs G');
    // The log is intact: QEMU reported and sent G.
    expect(all.find((s) => s.op.k === 'harvest_copy')?.ev.outcome).toBe('copied G');
    expect(final(inst, run, 'page_dirty', 1)).toBe(0);
  });

  it.each(KERNELS)('%s xchg: the zap’s xchg returns Dirty and the run is clean', (k) => {
    const inst = instantiate('d-bit-logging', 'xchg', {}, k);
    const run = runSchedule(inst, inst.canonical, { complete: true });
    expect(run.violations).toEqual([]);
    const xchg = namedSteps(inst, run).find((s) => s.op.k === 'xchg' && s.thread === 'mm');
    expect(xchg, 'a writable SPTE with Dirty clear is zapped atomically').toBeDefined();
    expect(final(inst, run, 'page_dirty', 1)).toBe(1);
    const r = exploreStateGraph(inst);
    expect(r.complete && r.violatingExecutions === 0).toBe(true);
    expect(r.lockRules).toEqual([]);
  });

  it('the harvest re-arms by clearing Dirty, leaving the SPTE writable (exploration finds the loss)', () => {
    const inst = instantiate('d-bit-logging', 'zap-drops-d', {}, '6.12');
    const r = exploreStateGraph(inst);
    expect(Object.keys(r.violationsByKind)).toEqual(['lost-dirty-bit']);
    const texts = inst.threads.flatMap((t) => t.program.map((o) => o.text)).join('\n');
    expect(texts).toContain('__kvm_tdp_mmu_write_spte(sptep, old_spte & ~mask);');
    expect(texts).not.toContain('~PT_WRITABLE_MASK');
  });

  it('the buggy variant is not modelled for 7.2, and says why', () => {
    expect(() => instantiate('d-bit-logging', 'zap-drops-d', {}, '7.2')).toThrow(
      /faulted in writable/,
    );
  });
});

describe.each(KERNELS)('clear-dirty-log (%s)', (k) => {
  it('get-log does not re-protect: A’s SPTE is still writable and its bit still set after it', () => {
    const inst = instantiate('clear-dirty-log', 'fetch-andnot', {}, k);
    const run = runSchedule(inst, inst.canonical.slice(0, 3));
    const all = namedSteps(inst, run);
    expect(all.map((s) => s.op.fn)).toContain('kvm_get_dirty_log_protect');
    expect(final(inst, run, 'dirty_bitmap')).toBe(1);
  });

  it.each([
    ['plain-clear', [['lost-dirty-log', 1]]],
    ['copy-before-clear', [['lost-dirty-log', 0]]],
    ['fetch-andnot', []],
  ] as const)('%s: canonical verdict', (v, expected) => {
    const inst = instantiate('clear-dirty-log', v, {}, k);
    const run = runSchedule(inst, inst.canonical, { complete: true });
    expect(run.final).toBe(true);
    expect(run.violations.map((x) => [x.kind, x.gfn])).toEqual(expected);
    const r = exploreStateGraph(inst);
    expect(r.complete).toBe(true);
    expect((r.violatingExecutions ?? 0) > 0).toBe(expected.length > 0);
    expect(r.lockRules).toEqual([]);
  });

  it('fetch-andnot: clear-log write-protects only the gfns whose bits it really cleared', () => {
    const inst = instantiate('clear-dirty-log', 'fetch-andnot', {}, k);
    const run = runSchedule(inst, inst.canonical, { complete: true });
    const all = namedSteps(inst, run);
    const protects = all.filter(
      (s) =>
        s.thread === 'QEMU' &&
        (s.op.k === 'xchg' || s.op.k === 'store') &&
        s.op.text.includes('update_clear_spte'),
    );
    expect(protects).toHaveLength(1);
    // B's bit, set by the fast path during the clear, survives it.
    expect(final(inst, run, 'dirty_bitmap') & 2).toBe(2);
  });
});
