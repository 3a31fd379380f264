import { describe, expect, it } from 'vitest';
import { UsageError, exploreReport, listScenarios, runReport } from './report';

describe('runReport', () => {
  it('reports the ABA loss of gfn 2 under the canonical schedule, with its trail', () => {
    const r = runReport('aba', 'buggy', 'canonical');
    expect(r.violations.map((v) => v.kind)).toEqual(['lost-dirty-log']);
    expect(r.violations[0]?.message).toContain('gfn2');
    expect(r.violations[0]?.trail.map((t) => t.role)).toContain(
      'cmpxchg succeeds on a stale value',
    );
    expect(r.final['dirtyBitmap']).toEqual(['gfn1']);
  });

  it('defaults to the first variant and the canonical schedule', () => {
    expect(runReport('aba').schedule).toBe(runReport('aba', 'buggy', 'canonical').schedule);
  });

  it('completes a partial schedule with the lowest runnable thread', () => {
    const r = runReport('dirty-bit-loss', 'fixed', '1');
    expect(r.schedule.startsWith('1.0')).toBe(true);
    expect(r.violations).toEqual([]);
  });

  it.each([
    ['nope', undefined, undefined, /unknown scenario 'nope'/],
    ['aba', 'nope', undefined, /unknown variant 'nope' of aba/],
    ['aba', 'buggy', '0.x.1', /malformed schedule token 'x'/],
    ['aba', 'buggy', '7', /names thread 7, but the scenario has 4 threads/],
    // QEMU (3) cannot take mmu_lock while kswapd (1) holds it for write.
    ['aba', 'buggy', '1.3', /QEMU cannot run: mmu_lock \(write\) is held by kswapd/],
    ['dirty-bit-loss', 'buggy', '1*60', /vCPU1 has finished and cannot run|cannot run/],
  ])('rejects %s / %s / %s with a UsageError', (scenario, variant, schedule, message) => {
    expect(() => runReport(scenario, variant, schedule)).toThrow(UsageError);
    expect(() => runReport(scenario, variant, schedule)).toThrow(message);
  });
});

describe('exploreReport', () => {
  it('finds the dirty-bit loss and a counterexample that replays to it', () => {
    const r = exploreReport('dirty-bit-loss', 'buggy');
    expect(r.complete).toBe(true);
    expect(r.violatingExecutions).toBeGreaterThan(0);
    const replay = runReport('dirty-bit-loss', 'buggy', r.counterexample?.schedule);
    expect(replay.violations.map((v) => v.kind)).toEqual(['lost-dirty-bit']);
    expect(replay.schedule).toBe(r.counterexample?.schedule);
  });

  it('reduces by default, and --naive covers every interleaving with the same outcomes', () => {
    const reduced = exploreReport('dirty-bit-scaled', 'buggy', { params: { n: 3 } });
    const naive = exploreReport('dirty-bit-scaled', 'buggy', { naive: true, params: { n: 3 } });
    expect([reduced.reduction, naive.reduction]).toEqual(['por+hash', 'none']);
    expect(reduced.states).toBeLessThan(naive.states / 3);
    expect(reduced.distinctOutcomes).toBe(naive.distinctOutcomes);
    expect(reduced.violationsByKind).toEqual({ 'lost-dirty-bit': expect.any(Number) });
    expect(new Set(reduced.outcomes.map((o) => o.violations.join()))).toEqual(
      new Set(naive.outcomes.map((o) => o.violations.join())),
    );
    const witness = reduced.outcomes.find((o) => o.violations.length > 0)?.witness;
    expect(runReport('dirty-bit-scaled', 'buggy', witness, { n: 3 }).violations[0]?.kind).toBe(
      'lost-dirty-bit',
    );
  });

  it('says when a budget stops the search', () => {
    const r = exploreReport('aba', 'buggy', { budget: 1000 });
    expect(r.complete).toBe(false);
    expect(r.states).toBe(1000);
  });
});

describe('listScenarios', () => {
  it('lists the races with their variants and parameters, the default first', () => {
    const list = listScenarios();
    expect(list.map((s) => s.id)).toEqual([
      'aba',
      'dirty-bit-loss',
      'dirty-bit-scaled',
      'srcu-deadlock',
      'notifier-retry',
      'tlb-flush',
      'hotplug-order',
      'mn-invalidate',
      'access-tracking',
      'tdp-mmu',
      'dirty-ring',
      'd-bit-logging',
      'clear-dirty-log',
    ]);
    expect(list[2]?.params?.map((p) => [p.name, p.default])).toEqual([
      ['n', 2],
      ['k', 1],
    ]);
    expect(list[0]?.variants.map((v) => v.id)).toEqual([
      'buggy',
      'pinned',
      'slow-path',
      'irq-off',
      'direct',
    ]);
    expect(list[1]?.variants.map((v) => v.id)).toEqual(['buggy', 'fixed']);
  });
});
