import { describe, expect, it } from 'vitest';
import { traceReport } from '../scenarios/report';
import { memoryAt } from '../store/derive';
import { localsAt } from './locals';

/** The document's ABA race, as the app loads it. */
const aba = traceReport('aba', 'buggy', 'canonical', { complete: true });
const cmpxchg = aba.violations[0]?.trail.find((s) => /stale value/.test(s.role))?.step ?? -1;
const vcpu0 = aba.steps[cmpxchg]?.thread ?? -1;
const local = (label: string, cursor: number) =>
  localsAt(aba, vcpu0, cursor, memoryAt(aba, cursor)).find((l) => l.label === label);

describe('locals in the ABA race', () => {
  it('finds the cmpxchg on a stale value in the trail', () => {
    expect(cmpxchg).toBeGreaterThan(0);
  });

  it('just after the read, old_spte and gfn agree with memory', () => {
    const read = aba.steps.findIndex(
      (e) => e.thread === vcpu0 && e.regs.some((r) => r.from !== undefined),
    );
    const gfn = local('gfn', read + 2);
    expect(gfn?.source?.stale).toBe(false);
    expect(gfn?.shown).toBe(aba.machine.gfnNames[1]);
  });

  it('before the cmpxchg, gfn is stale and old_spte is the same value rewritten (ABA)', () => {
    const gfn = local('gfn', cmpxchg);
    expect(gfn?.source?.stale, 'the SP now records another gfn').toBe(true);
    expect(gfn?.source?.nowShown).toBe(aba.machine.gfnNames[2]);
    const old = local('old_spte', cmpxchg);
    expect(old?.source?.name).toMatch(/spte/);
    expect(old?.source?.stale, 'same bits as memory: that is why the cmpxchg succeeds').toBe(false);
    expect(old?.source?.rewritten, 'other CPUs wrote the SPTE in between').toBe(true);
    expect(old?.shown).toMatch(/^\{pfn1 /);
  });

  it('before the read there is nothing to show', () => {
    expect(localsAt(aba, vcpu0, 0, memoryAt(aba, 0))).toEqual([]);
  });
});
