import { describe, expect, it } from 'vitest';
import type { MachineDef } from './model';
import type { ProgramBuilder } from './builder';
import { Machine } from './machine';
import { decodeTlb } from './hardware';
import { SPTE, NONPRESENT } from './spte';
import { ScenarioError } from './errors';
import { WRITABLE_CLEAN, cell, reg, scenario, steps, thread } from './testing';

/** vCPU0 alone (vCPU thread 0) running `body` to its end. */
function vcpu(body: (b: ProgramBuilder) => void, machine: Partial<MachineDef> = {}) {
  const inst = scenario([thread('vCPU0', body, 0)], { machine });
  const len = inst.threads[0]?.program.length ?? 0;
  return steps(
    inst,
    Array.from({ length: len }, () => 0),
  );
}

const RO = WRITABLE_CLEAN & ~SPTE.W;
const tlb = (m: Machine, s: Int32Array, v = 0) => decodeTlb(cell(m, s, 'tlb', v));
const spteLoc = (m: Machine) => m.layout.index('spte', 0);

describe('access (guest load/store through TLB and SPTE)', () => {
  it('a read miss walks the SPTE, sets A but not D, and fills the TLB', () => {
    const { m, events, last } = vcpu((b) => b.access(0, false, 'r', ''));
    expect(reg(m, last, 0, 'r'), '0 = access completed').toBe(0);
    expect(cell(m, last, 'spte'), 'a read walk sets Accessed only').toBe(WRITABLE_CLEAN | SPTE.A);
    expect(tlb(m, last)).toEqual({ valid: true, pfn: 1, w: true, dirty: false });
    expect(events[0]?.accesses.find((a) => a.loc === spteLoc(m) && a.kind === 'rmw')).toEqual({
      loc: spteLoc(m),
      kind: 'rmw',
      old: WRITABLE_CLEAN,
      value: WRITABLE_CLEAN | SPTE.A,
    });
    expect(events[0]?.outcome).toBe('walk, fill TLB, read');
    expect(cell(m, last, 'ghost_written', 1), 'a read must not count as a write').toBe(0);
  });

  it.each([
    { logging: true, pending: 1 },
    { logging: false, pending: 0 },
  ])('a write miss sets A and D and lands in the page (logging $logging)', (c) => {
    const { m, events, last } = vcpu((b) => b.access(0, true, 'r', ''), {
      dirtyLogging: c.logging,
    });
    expect(reg(m, last, 0, 'r')).toBe(0);
    expect(cell(m, last, 'spte')).toBe(WRITABLE_CLEAN | SPTE.A | SPTE.D);
    expect(tlb(m, last)).toEqual({ valid: true, pfn: 1, w: true, dirty: true });
    expect(cell(m, last, 'page_data', 1), 'the write bumps the page version').toBe(2);
    expect(cell(m, last, 'ghost_written', 1)).toBe(1);
    expect(cell(m, last, 'ghost_pending', 0), 'ghost_pending follows dirty_logging').toBe(
      c.pending,
    );
    expect(events[0]?.outcome).toContain("walk, set A/D, write → pfn1 (gfn0's page)");
  });

  it('a write through a read-only SPTE faults and drops the cached TLB entry', () => {
    const { m, events, last, states } = vcpu(
      (b) => (b.access(0, false, 'r', ''), b.access(0, true, 'w', '')),
      { slots: [{ name: 's0', spte: RO, gfn: 0 }] },
    );
    expect(tlb(m, states[1] as Int32Array).valid, 'the read filled the TLB').toBe(true);
    expect(reg(m, last, 0, 'w'), '1 = page fault').toBe(1);
    expect(cell(m, last, 'tlb'), 'the faulting translation must not stay cached').toBe(0);
    expect(cell(m, last, 'spte')).toBe(RO | SPTE.A);
    expect(cell(m, last, 'page_data', 1)).toBe(1);
    expect(cell(m, last, 'ghost_written', 1)).toBe(0);
    expect(events[1]?.outcome).toBe('write fault (EPT violation / #PF)');
  });

  it('a non-present SPTE gives a read fault', () => {
    const { m, events, last } = vcpu((b) => b.access(0, false, 'r', ''), {
      slots: [{ name: 's0', spte: NONPRESENT, gfn: 0 }],
    });
    expect(reg(m, last, 0, 'r')).toBe(1);
    expect(events[0]?.outcome).toBe('read fault');
    expect(cell(m, last, 'tlb')).toBe(0);
  });

  it('a TLB hit needs no SPTE access', () => {
    const { m, events } = vcpu((b) => (b.access(0, false, 'r', ''), b.access(0, false, 'r', '')));
    expect(events[1]?.outcome).toBe('TLB hit');
    expect(events[1]?.accesses.map((a) => a.loc)).toEqual([m.layout.index('tlb', 0)]);
  });

  it('a write through a cached entry without Dirty re-walks to set D, then hits', () => {
    const { m, events, last } = vcpu((b) => {
      b.access(0, false, 'r', '');
      b.access(0, true, 'w', '');
      b.access(0, true, 'w', '');
    });
    const touchesSpte = (i: number) => events[i]?.accesses.some((a) => a.loc === spteLoc(m));
    expect(touchesSpte(1), 'TLB entry has W but not Dirty: the write must re-walk').toBe(true);
    expect(cell(m, last, 'spte') & SPTE.D).toBe(SPTE.D);
    expect(touchesSpte(2), 'W and Dirty cached: the next write is a TLB hit').toBe(false);
    expect(events[2]?.outcome).toContain('TLB hit');
    expect(cell(m, last, 'page_data', 1)).toBe(3);
  });

  it('an SPTE with A/D disabled keeps its A and D bits', () => {
    const spte = WRITABLE_CLEAN | SPTE.AD_DISABLED;
    const { m, last } = vcpu((b) => b.access(0, true, 'r', ''), {
      slots: [{ name: 's0', spte, gfn: 0 }],
    });
    expect(cell(m, last, 'spte')).toBe(spte);
    expect(cell(m, last, 'ghost_written', 1)).toBe(1);
  });

  it('a host thread cannot make a guest access', () => {
    const inst = scenario([thread('host', (b) => b.access(0, false, 'r', ''))]);
    expect(() => new Machine(inst)).toThrow(ScenarioError);
  });
});

describe('flush_tlbs', () => {
  const fill = (b: ProgramBuilder) => b.access(0, false, 'r', '');

  it("clears every vCPU's TLB and names the vCPUs flushed", () => {
    const inst = scenario([
      thread('vCPU0', fill, 0),
      thread('vCPU1', fill, 1),
      thread('host', (b) => b.flushTlbs('')),
    ]);
    const { m, events, last } = steps(inst, [0, 1, 2]);
    expect([cell(m, last, 'tlb', 0), cell(m, last, 'tlb', 1)]).toEqual([0, 0]);
    expect(events[2]?.sync).toEqual({ kind: 'tlb-flush', vcpus: [0, 1] });
  });

  it('is blocked while another vCPU reads shadow page tables locklessly', () => {
    const inst = scenario([
      thread(
        'vCPU0',
        (b) => (b.store(['vcpu_mode', 0], 2, ''), b.store(['vcpu_mode', 0], 0, '')),
        0,
      ),
      thread('host', (b) => b.flushTlbs('')),
      thread('vCPU1', (b) => (b.store(['vcpu_mode', 1], 2, ''), b.flushTlbs('')), 1),
    ]);
    const { m, states } = steps(inst, [0, 2]);
    expect(m.blocked(states[1] as Int32Array, 1), 'vcpu_mode = 2 must hold up the flush').toEqual({
      kind: 'flush',
      walkers: [0],
    });
    const both = states[2] as Int32Array;
    expect(m.blocked(both, 1)).toEqual({ kind: 'flush', walkers: [0, 1] });
    expect(m.blocked(both, 2), 'vCPU1 is walking itself; only vCPU0 blocks it').toEqual({
      kind: 'flush',
      walkers: [0],
    });
    const left = steps(inst, [0, 0]);
    expect(left.m.blocked(left.last, 1), 'OUTSIDE_GUEST_MODE again: flush may go').toBeNull();
    const own = steps(inst, [0, 0, 2]);
    expect(own.m.blocked(own.last, 2), 'a vCPU does not wait for its own walk').toBeNull();
    expect(own.m.blocked(own.last, 1)).toEqual({ kind: 'flush', walkers: [1] });
  });
});

describe('mark_dirty', () => {
  it.each([
    { logging: true, bitmap: 0b10, outcome: 'bit gfn1 set' },
    { logging: false, bitmap: 0, outcome: 'dirty logging off: nothing to do' },
  ])('sets the bit only when logging is on ($logging)', ({ logging, bitmap, outcome }) => {
    const { m, events, last } = vcpu((b) => b.markDirty(1, ''), { dirtyLogging: logging });
    expect(cell(m, last, 'dirty_bitmap')).toBe(bitmap);
    expect(events[0]?.outcome).toBe(outcome);
  });

  it('rejects a gfn outside the machine', () => {
    expect(() => vcpu((b) => b.markDirty(5, ''))).toThrow(ScenarioError);
  });
});

/** gfn1 not resident; pfn2 and pfn3 free, listed in that order (pfn3 freed last). */
const SWAPPED: Partial<MachineDef> = {
  pages: [
    { pfn: 1, gfn: 0 },
    { pfn: 2, gfn: null },
    { pfn: 3, gfn: null },
  ],
  hostMap: { 0: 1 },
};

describe('gup, put_page, unmap_free', () => {
  it('gup of a resident gfn takes a reference on its page', () => {
    const { m, last } = vcpu((b) => b.gup(1, 'p', false, ''));
    expect(reg(m, last, 0, 'p')).toBe(2);
    expect(cell(m, last, 'page_ref', 2)).toBe(1);
  });

  it('gup faults a page in with the most recently freed pfn (LIFO)', () => {
    const { m, events, last } = vcpu((b) => b.gup(1, 'p', false, ''), SWAPPED);
    expect(reg(m, last, 0, 'p'), 'pfn3 was freed last').toBe(3);
    expect(cell(m, last, 'hostmap', 1)).toBe(3);
    expect(cell(m, last, 'page_owner', 3)).toBe(1);
    expect(cell(m, last, 'page_ref', 3)).toBe(1);
    expect(cell(m, last, 'page_free', 3), 'an allocated page is off the free list').toBe(0);
    expect(events[0]?.outcome).toBe('gfn1 faulted in: the allocator returns pfn3');
  });

  it.each([
    { pinned: false, pfn: 1, why: 'pfn1 was freed last: LIFO hands it out again' },
    { pinned: true, pfn: 3, why: 'a pinned page is not freed, so it cannot be reused' },
  ])('unmap_free then gup of another gfn (pinned: $pinned)', ({ pinned, pfn, why }) => {
    const { m, last } = vcpu((b) => {
      if (pinned) b.gup(0, 'pin', false, '');
      b.unmapFree(0, '');
      b.gup(1, 'p', false, '');
    }, SWAPPED);
    expect(reg(m, last, 0, 'p'), why).toBe(pfn);
    expect(cell(m, last, 'hostmap', 0), 'gfn0 is swapped out either way').toBe(0);
    expect(cell(m, last, 'swap', 0), 'its data went to swap').toBe(1);
  });

  it('unmap_free of a pinned page says so; the last put_page frees it', () => {
    const { m, events, states } = vcpu((b) => {
      b.gup(0, 'p', false, '');
      b.unmapFree(0, '');
      b.putPage('p', '');
    });
    expect(events[1]?.outcome).toContain('pfn1 is pinned');
    expect(cell(m, states[2] as Int32Array, 'page_free', 1)).toBe(0);
    const last = states[3] as Int32Array;
    expect(cell(m, last, 'page_ref', 1)).toBe(0);
    expect(cell(m, last, 'page_free', 1), 'refcount 0 and unmapped: freed').toBeGreaterThan(0);
    expect(cell(m, last, 'page_owner', 1)).toBe(-1);
    expect(events[2]?.outcome).toContain('pfn1 freed');
  });

  it('put_page of a still-mapped page at refcount 0 does not free it', () => {
    const { m, last } = vcpu((b) => (b.gup(0, 'p', false, ''), b.putPage('p', '')));
    expect(cell(m, last, 'page_ref', 1)).toBe(0);
    expect(cell(m, last, 'page_free', 1), 'gfn0 still maps pfn1').toBe(0);
  });

  it('gup after a swap-out brings the data back from swap', () => {
    const { m, last } = vcpu((b) => {
      b.access(0, true, 'w', '');
      b.unmapFree(0, '');
      b.gup(0, 'p', false, '');
    }, SWAPPED);
    expect(cell(m, last, 'page_data', reg(m, last, 0, 'p')), 'the written version').toBe(2);
  });

  it('atomic gup of a non-resident gfn returns 0 and takes no reference', () => {
    const { m, events, last } = vcpu((b) => b.gup(1, 'p', true, ''), SWAPPED);
    expect(reg(m, last, 0, 'p')).toBe(0);
    expect([2, 3].map((p) => cell(m, last, 'page_ref', p))).toEqual([0, 0]);
    expect(events[0]?.outcome).toContain('not resident');
  });

  it('gup is blocked when it must fault in and no page is free; atomic gup is not', () => {
    const inst = scenario(
      [thread('A', (b) => b.gup(1, 'p', false, '')), thread('B', (b) => b.gup(1, 'p', true, ''))],
      { machine: { pfns: 1, pages: [{ pfn: 1, gfn: 0 }], hostMap: { 0: 1 } } },
    );
    const m = new Machine(inst);
    expect(m.blocked(m.initial(), 0)).toEqual({ kind: 'no-free-page' });
    expect(m.runnable(m.initial())).toEqual([1]);
  });
});

describe('gpt_write and harvest_copy', () => {
  const gpt: Partial<MachineDef> = { indirect: true, gptes: [0], gptGfn: 1 };

  it.each([
    { logging: true, pending: 1 },
    { logging: false, pending: 0 },
  ])('gpt_write emulates the store through the host mapping (logging $logging)', (c) => {
    const { m, last } = vcpu((b) => b.gptWrite(0, 1, ''), { ...gpt, dirtyLogging: c.logging });
    expect(cell(m, last, 'gpte', 0)).toBe(1);
    expect(cell(m, last, 'page_data', 2), "the table's page (pfn2) is written").toBe(2);
    expect(cell(m, last, 'page_dirty', 2), 'host-side write: page Dirty').toBe(1);
    expect(cell(m, last, 'ghost_pending', 1)).toBe(c.pending);
  });

  it('gpt_write needs machine.gptGfn', () => {
    expect(() => vcpu((b) => b.gptWrite(0, 1, ''), { gptes: [0] })).toThrow(/gptGfn/);
  });

  it.each([
    { mask: 0b01, text: '0b01', pending: [0, 1], outcome: 'copied gfn0' },
    { mask: 0b11, text: '0b11', pending: [0, 0], outcome: 'copied gfn0, gfn1' },
    { mask: 0, text: '0', pending: [1, 1], outcome: 'nothing to copy' },
  ])('harvest_copy($text) clears ghost_pending of those gfns only', (c) => {
    const { m, events, last } = vcpu((b) => {
      b.access(0, true, 'w', '');
      b.gptWrite(0, 0, '');
      b.harvestCopy(c.mask, '');
    }, gpt);
    expect([0, 1].map((g) => cell(m, last, 'ghost_pending', g))).toEqual(c.pending);
    expect(events[2]?.outcome).toBe(c.outcome);
  });
});
