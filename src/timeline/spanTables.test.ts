import { describe, expect, it } from 'vitest';
import type { BlockReason } from '../engine';
import { buildModel, fnRuns, lockSpans, srcuSpans, traceExtent, waitSpans } from './spans';
import { acq, mkTrace, rel, type StepSpec } from './testTrace';

describe('lockSpans', () => {
  it.each<[string, StepSpec[], [number, string, string, number, number, boolean][]]>([
    [
      'read and write modes',
      [
        { t: 0, sync: acq('mmu_lock', 'read') },
        { t: 1, sync: acq('m', 'excl') },
        { t: 0, sync: rel('mmu_lock', 'read') },
        { t: 1, sync: rel('m', 'excl') },
      ],
      [
        [0, 'mmu_lock', 'read', 0, 3, false],
        [1, 'm', 'excl', 1, 4, false],
      ],
    ],
    [
      'two readers at once',
      [
        { t: 0, sync: acq('mmu_lock', 'read') },
        { t: 1, sync: acq('mmu_lock', 'read') },
        { t: 1, sync: rel('mmu_lock', 'read') },
      ],
      [
        [0, 'mmu_lock', 'read', 0, 3, true],
        [1, 'mmu_lock', 'read', 1, 3, false],
      ],
    ],
    [
      'an open span runs to the end',
      [{ t: 0 }, { t: 0, sync: acq('a') }, { t: 0 }],
      [[0, 'a', 'write', 1, 3, true]],
    ],
    [
      'nested acquisitions count once',
      [
        { t: 0, sync: acq('a', 'read') },
        { t: 0, sync: acq('a', 'read') },
        { t: 0, sync: rel('a', 'read') },
        { t: 0, sync: rel('a', 'read') },
      ],
      [[0, 'a', 'read', 0, 4, false]],
    ],
    ['a release without an acquire is ignored', [{ t: 0, sync: rel('a') }], []],
  ])('%s', (_, specs, expected) => {
    const spans = lockSpans(mkTrace(['T0', 'T1'], specs));
    expect(spans.map((s) => [s.thread, s.lock, s.mode, s.start, s.end, s.open])).toEqual(expected);
  });
});

describe('waitSpans', () => {
  it('runs an unfinished wait to the end and extends the axis by one slot', () => {
    const lock: BlockReason = { kind: 'lock', lock: 'a', mode: 'excl', holders: [0] };
    const trace = mkTrace(['T0', 'T1'], [{ t: 0 }, { t: 0 }], {
      blocked: [{ t: 1, from: 1, to: 2, block: lock }],
    });
    expect(traceExtent(trace)).toBe(3);
    expect(waitSpans(trace).map((w) => [w.thread, w.start, w.end, w.open])).toEqual([
      [1, 1, 3, true],
    ]);
  });

  it.each<[BlockReason, string]>([
    [
      { kind: 'grace-period', domain: 'kvm->srcu', readers: [0] },
      'synchronize_srcu(kvm->srcu) waits for T0',
    ],
    [
      { kind: 'flush', walkers: [0, 1] },
      'TLB flush waits for unused vCPU slot 0, unused vCPU slot 1',
    ],
    [{ kind: 'await', why: 'x == 1' }, 'waits until x == 1'],
    [{ kind: 'no-free-page' }, 'waits for a free page'],
  ])('labels %o', (block, label) => {
    const trace = mkTrace(['T0', 'T1'], [{ t: 0 }, { t: 0 }, { t: 1 }], {
      blocked: [{ t: 1, from: 0, to: 1, block }],
    });
    expect(waitSpans(trace).map((w) => [w.start, w.end, w.label])).toEqual([[0, 2, label]]);
  });
});

describe('srcuSpans', () => {
  it('pairs nested read-side sections innermost first and spans grace periods with their readers', () => {
    const d = 'kvm->srcu';
    const trace = mkTrace(
      ['R', 'W'],
      [
        { t: 0, sync: { kind: 'srcu-read-lock', domain: d } },
        { t: 0, sync: { kind: 'srcu-read-lock', domain: d } },
        { t: 1, sync: { kind: 'gp-start', domain: d, readers: [0] } },
        { t: 0, sync: { kind: 'srcu-read-unlock', domain: d } },
        { t: 0, sync: { kind: 'srcu-read-unlock', domain: d } },
        { t: 1, sync: { kind: 'gp-end', domain: d } },
        { t: 1, sync: { kind: 'gp-start', domain: d, readers: [] } },
      ],
    );
    const { sections, grace } = srcuSpans(trace);
    expect(sections.map((s) => [s.thread, s.start, s.end, s.open])).toEqual([
      [0, 0, 5, false],
      [0, 1, 4, false],
    ]);
    expect(grace.map((g) => [g.thread, g.start, g.end, g.open, g.readers])).toEqual([
      [1, 2, 6, false, [0]],
      [1, 6, 7, true, []],
    ]);
    expect(buildModel(trace).hasSrcu).toBe(true);
  });
});

describe('fnRuns', () => {
  it('merges consecutive steps of one thread in one function', () => {
    const trace = mkTrace(
      ['A', 'B'],
      [
        { t: 0, fn: 'f' },
        { t: 0, fn: 'f' },
        { t: 0, fn: 'g' },
        { t: 1, fn: 'g' },
        { t: 0, fn: 'g' },
      ],
    );
    expect(fnRuns(trace).map((r) => [r.thread, r.fn, r.start, r.end])).toEqual([
      [0, 'f', 0, 2],
      [0, 'g', 2, 3],
      [1, 'g', 3, 4],
      [0, 'g', 4, 5],
    ]);
  });
});
