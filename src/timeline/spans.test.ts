import { describe, expect, it } from 'vitest';
import type { BlockReason, SyncEvent, TraceData, Violation } from '../engine';
import { buildModel, deriveMarks, lockSpans, stepTitle, violationMarks, waitSpans } from './spans';
import { computeLayout, traceTimelineHeight } from './layout';
import { acq, mkTrace, rel, type BlockSpec, type StepSpec } from './testTrace';

/** The ABA fixture's shape: schedule 0*9.1*16.2*26.3*12.0*7 with its lock steps, waits and violation. */
function abaShaped(): TraceData {
  const schedule = [
    [0, 9],
    [1, 16],
    [2, 26],
    [3, 12],
    [0, 7],
  ].flatMap(([t, n]) => Array<number>(n ?? 0).fill(t ?? 0));
  const sync: Record<number, SyncEvent> = {
    9: acq('mmu_lock'),
    19: rel('mmu_lock'),
    21: acq('mmu_lock'),
    24: rel('mmu_lock'),
    27: acq('mmu_lock'),
    29: rel('mmu_lock'),
    35: acq('mmu_lock'),
    45: rel('mmu_lock'),
    51: acq('mmu_lock'),
    60: rel('mmu_lock'),
  };
  const specs: StepSpec[] = schedule.map((t, i) => {
    const s: StepSpec = {
      t,
      kind: sync[i] ? (sync[i].kind === 'acquire' ? 'lock' : 'unlock') : 'load',
    };
    if (sync[i]) s.sync = sync[i];
    return s;
  });
  specs[3] = {
    t: 0,
    kind: 'load',
    text: 'old_spte = mmu_spte_get_lockless(sptep);',
    fn: 'fast_page_fault',
  };
  specs[63] = {
    t: 0,
    kind: 'cas',
    text: 'if (!try_cmpxchg64(sptep, &old_spte, new_spte)) goto retry;',
    fn: 'fast_page_fault',
    outcome: 'cmpxchg succeeded',
  };
  const held = (h: number): BlockReason => ({
    kind: 'lock',
    lock: 'mmu_lock',
    mode: 'write',
    holders: [h],
  });
  const blocked: BlockSpec[] = [
    { t: 3, from: 10, to: 19, block: held(1) },
    { t: 3, from: 22, to: 24, block: held(1) },
    { t: 3, from: 28, to: 29, block: held(2) },
    { t: 3, from: 36, to: 45, block: held(2) },
  ];
  const violations: Violation[] = [
    {
      kind: 'lost-dirty-log',
      step: 67,
      message: 'gfn 2 was written after the last harvest…',
      causes: [3, 63],
      racing: [15, 42, 58],
      gfn: 2,
      trail: [
        { step: 3, role: 'stale read' },
        { step: 15, role: 'racing write' },
        { step: 42, role: 'racing write' },
        { step: 58, role: 'racing write' },
        { step: 63, role: 'cmpxchg succeeds on a stale value' },
        { step: 67, role: 'violation' },
      ],
    },
  ];
  return mkTrace(['vCPU0', 'kswapd', 'vCPU1', 'QEMU'], specs, { blocked, violations, final: true });
}

describe('the ABA fixture shape', () => {
  const trace = abaShaped();

  it('has a mark per step in the lane of the thread that ran it', () => {
    const marks = deriveMarks(trace);
    expect(marks).toHaveLength(70);
    expect(marks[3]).toMatchObject({
      step: 3,
      thread: 0,
      kind: 'load',
      category: 'read',
      label: 'old_spte = mmu_spte_get_lockless(sptep)',
    });
    expect(marks[63]).toMatchObject({
      thread: 0,
      category: 'atomic',
      label: 'if (!try_cmpxchg64(…)) goto retry',
    });
    expect(marks[20]?.thread).toBe(1);
  });

  it('has a write-held mmu_lock span per critical section, covering lock and unlock', () => {
    expect(lockSpans(trace).map((s) => [s.thread, s.mode, s.start, s.end, s.open])).toEqual([
      [1, 'write', 9, 20, false],
      [1, 'write', 21, 25, false],
      [2, 'write', 27, 30, false],
      [2, 'write', 35, 46, false],
      [3, 'write', 51, 61, false],
    ]);
  });

  it('has QEMU waiting while others hold mmu_lock, and nobody waiting once done', () => {
    const waits = waitSpans(trace);
    expect(waits.map((w) => [w.thread, w.start, w.end])).toEqual([
      [3, 10, 20],
      [3, 22, 25],
      [3, 28, 30],
      [3, 36, 46],
    ]);
    expect(waits[0]?.label).toBe('waits for mmu_lock (write), held by kswapd');
    expect(waits[2]?.label).toBe('waits for mmu_lock (write), held by vCPU1');
    expect(waits[0]?.reason).toBe('lock');
  });

  it('marks the violation at step 67 with arrows from the causes and the racing writes', () => {
    const [v] = violationMarks(trace);
    expect(v).toMatchObject({
      kind: 'lost-dirty-log',
      step: 67,
      thread: 0,
      title: 'lost-dirty-log gfn2',
    });
    expect(v?.arrows).toEqual([
      { from: 3, to: 67, style: 'cause', role: 'stale read' },
      { from: 63, to: 67, style: 'cause', role: 'cmpxchg succeeds on a stale value' },
      { from: 15, to: 67, style: 'racing', role: 'racing write' },
      { from: 42, to: 67, style: 'racing', role: 'racing write' },
      { from: 58, to: 67, style: 'racing', role: 'racing write' },
    ]);
    expect(v?.notes).toEqual([
      { step: 3, text: 'stale read' },
      { step: 63, text: 'cmpxchg on a stale value' },
    ]);
  });

  it('builds a model with one lock row and no SRCU row', () => {
    const m = buildModel(trace);
    expect(m.lockRows).toEqual(['mmu_lock']);
    expect(m.hasSrcu).toBe(false);
    expect(m.extent).toBe(70);
  });

  it('reserves, from the trace alone, the height the layout will use', () => {
    for (const talk of [false, true]) {
      expect(traceTimelineHeight(trace, talk)).toBe(
        computeLayout(buildModel(trace), 900, talk).height,
      );
    }
  });

  it('titles a step with its op text, kernel function and outcome', () => {
    expect(stepTitle(trace, 63).split('\n')).toEqual([
      'step 64 · vCPU0 · cas',
      'if (!try_cmpxchg64(sptep, &old_spte, new_spte)) goto retry;',
      'fast_page_fault (f.c)',
      '→ cmpxchg succeeded',
    ]);
  });
});

describe('the dirty-bit-loss fixture shape', () => {
  it('draws no arrow from a cause at the violation step itself, but keeps its note', () => {
    const specs: StepSpec[] = Array.from({ length: 32 }, (_, i) => ({
      t: i >= 6 && i < 22 ? 1 : 0,
    }));
    const trace = mkTrace(['kswapd', 'vCPU1'], specs, {
      final: true,
      violations: [
        {
          kind: 'lost-dirty-bit',
          step: 22,
          message: 'pfn 1 was written…',
          causes: [4, 22],
          racing: [15, 19],
          pfn: 1,
          trail: [
            { step: 4, role: 'stale read' },
            { step: 15, role: 'racing write' },
            { step: 19, role: 'racing write' },
            { step: 22, role: 'plain store over a newer value' },
          ],
        },
      ],
    });
    const [v] = violationMarks(trace);
    expect(v?.title).toBe('lost-dirty-bit pfn1');
    expect(v?.arrows.map((a) => [a.from, a.style])).toEqual([
      [4, 'cause'],
      [15, 'racing'],
      [19, 'racing'],
    ]);
    expect(v?.notes).toEqual([
      { step: 4, text: 'stale read' },
      { step: 22, text: 'store over a newer value' },
    ]);
  });
});
