import { describe, expect, it } from 'vitest';
import { SPTE } from './spte';
import { ScenarioError } from './errors';
import { dataConditions } from './checks';
import { opFootprint, anyConflict } from './footprint';
import { KVM_DIRTY_GFN_F_DIRTY, KVM_DIRTY_GFN_F_RESET, ringArrays } from './dirtyRing';
import { WRITABLE_CLEAN, cell, scenario, steps, thread } from './testing';
import { Layout } from './layout';
import { machineDef } from './testing';

const RING = { dirtyRing: { size: 4 } };
const r0 = ringArrays(0);
const r1 = ringArrays(1);

describe('mark_page_dirty_in_slot with a dirty ring', () => {
  it('a vCPU pushes onto its own ring: gfn, flags = DIRTY, dirty_index++; the bitmap is untouched', () => {
    const inst = scenario(
      [thread('vCPU1', (b) => b.markDirty(1, 'mark_page_dirty_in_slot(kvm, slot, gfn1);'), 1)],
      { machine: RING },
    );
    const { m, last, events } = steps(inst, [0]);
    expect(cell(m, last, r1.gfn, 0)).toBe(1);
    expect(cell(m, last, r1.flags, 0)).toBe(KVM_DIRTY_GFN_F_DIRTY);
    expect(cell(m, last, r1.dirtyIndex)).toBe(1);
    expect(cell(m, last, r0.dirtyIndex), "vCPU0's ring is another ring").toBe(0);
    expect(cell(m, last, 'dirty_bitmap')).toBe(0);
    expect(events[0]?.outcome).toBe("gfn1 pushed to vCPU1's ring, entry 0");
  });

  it('successive pushes fill successive entries, wrapping modulo the ring size', () => {
    const inst = scenario(
      [
        thread(
          'vCPU0',
          (b) => {
            // Three entries already reset: dirty_index = reset_index = 3.
            b.store([r0.dirtyIndex], 3, '').store([r0.resetIndex], 3, '');
            b.markDirty(0, '').markDirty(1, '');
          },
          0,
        ),
      ],
      { machine: RING },
    );
    const { m, last } = steps(inst, [0, 0, 0, 0]);
    expect([cell(m, last, r0.gfn, 3), cell(m, last, r0.gfn, 0)]).toEqual([0, 1]);
    expect(cell(m, last, r0.dirtyIndex)).toBe(5);
  });

  it('a host thread (no running vCPU) still sets the bitmap', () => {
    const inst = scenario([thread('QEMU', (b) => b.markDirty(1, ''))], { machine: RING });
    const { m, last } = steps(inst, [0]);
    expect(cell(m, last, 'dirty_bitmap')).toBe(2);
    expect(cell(m, last, r0.dirtyIndex) + cell(m, last, r1.dirtyIndex)).toBe(0);
  });

  it('with dirty logging off nothing is pushed', () => {
    const inst = scenario([thread('vCPU0', (b) => b.markDirty(1, ''), 0)], {
      machine: { ...RING, dirtyLogging: false },
    });
    const { m, last } = steps(inst, [0]);
    expect(cell(m, last, r0.dirtyIndex)).toBe(0);
  });

  it('a push onto a full ring is a scenario error naming the unmodelled exit', () => {
    const inst = scenario(
      [thread('vCPU0', (b) => [0, 1, 0].forEach((g) => b.markDirty(g, '')), 0)],
      { machine: { dirtyRing: { size: 2 } } },
    );
    expect(() => steps(inst, [0, 0, 0])).toThrow(ScenarioError);
    expect(() => steps(inst, [0, 0, 0])).toThrow(/KVM_EXIT_DIRTY_RING_FULL/);
  });

  it('the ring size must be a power of two (the kernel indexes with & (size - 1))', () => {
    expect(() => new Layout(machineDef({ dirtyRing: { size: 3 } }))).toThrow(/power of two/);
  });

  it('a machine without a ring keeps the layout it had', () => {
    expect(new Layout(machineDef()).size).toBe(new Layout(machineDef({ pml: true })).size);
    expect(new Layout(machineDef()).has(r0.flags)).toBe(false);
  });
});

describe('lost-dirty-log with a ring', () => {
  /** gfn0 written (ghost pending) and its ring entry in state `flags`. */
  const withEntry = (flags: number) =>
    scenario(
      [
        thread(
          'vCPU0',
          (b) => {
            b.access(0, true, 'f', 'guest: *gva = val;');
            b.store([r0.gfn, 0], 0, '').store([r0.flags, 0], flags, '');
          },
          0,
        ),
      ],
      { machine: RING, checks: ['lost-dirty-log'] },
    );

  it.each([
    { flags: KVM_DIRTY_GFN_F_DIRTY, lost: false, what: 'a dirty entry reports the gfn' },
    { flags: KVM_DIRTY_GFN_F_RESET, lost: false, what: 'a collected, not yet reset entry too' },
    { flags: 0, lost: true, what: 'an entry KVM reset does not' },
  ])('$what', ({ flags, lost }) => {
    const { m, last } = steps(withEntry(flags), [0, 0, 0]);
    const kinds = dataConditions(m, last).map((c) => [c.kind, c.gfn]);
    expect(kinds).toEqual(lost ? [['lost-dirty-log', 0]] : []);
    if (lost)
      expect(dataConditions(m, last)[0]?.message).toContain(
        'every dirty ring entry KVM has not reset',
      );
  });
});

describe('PML (D-bit dirty logging)', () => {
  const write = (over: object) =>
    steps(
      scenario([thread('vCPU0', (b) => b.access(0, true, 'f', ''), 0)], {
        machine: { pml: true, ...over },
      }),
      [0],
    );

  it('setting Dirty on a walk logs the gfn in the bitmap', () => {
    const { m, last, events } = write({});
    expect(cell(m, last, 'spte') & SPTE.D).toBe(SPTE.D);
    expect(cell(m, last, 'dirty_bitmap')).toBe(1);
    expect(events[0]?.outcome).toContain('PML logs gfn0');
  });

  it('with a dirty ring the PML flush pushes onto the vCPU ring', () => {
    const { m, last } = write(RING);
    expect(cell(m, last, r0.flags, 0)).toBe(KVM_DIRTY_GFN_F_DIRTY);
    expect(cell(m, last, 'dirty_bitmap')).toBe(0);
  });

  it('no log when Dirty was already set, and none without PML', () => {
    const dirty = write({
      slots: [{ name: 's0', spte: WRITABLE_CLEAN | SPTE.A | SPTE.D, gfn: 0 }],
    });
    expect(cell(dirty.m, dirty.last, 'dirty_bitmap')).toBe(0);
    const noPml = write({ pml: false });
    expect(cell(noPml.m, noPml.last, 'dirty_bitmap')).toBe(0);
  });

  it('a write through a TLB entry that cached Dirty sets nothing and logs nothing', () => {
    const inst = scenario(
      [
        thread(
          'vCPU0',
          (b) => {
            b.access(0, true, 'f', '');
            b.store(['dirty_bitmap'], 0, 'harvest: bitmap cleared');
            b.store(['spte', 0], WRITABLE_CLEAN | SPTE.A, 'D cleared, TLB not flushed');
            b.access(0, true, 'f', '');
          },
          0,
        ),
      ],
      { machine: { pml: true } },
    );
    const { m, last, events } = steps(inst, [0, 0, 0, 0]);
    expect(events[3]?.outcome).toContain('TLB hit');
    expect(cell(m, last, 'dirty_bitmap')).toBe(0);
    expect(cell(m, last, 'spte') & SPTE.D).toBe(0);
  });

  it('footprints: with PML a guest write conflicts with a harvest of the bitmap; without, not', () => {
    const access = {
      k: 'access',
      slot: 0,
      write: true,
      dst: 'f',
      fn: 'f',
      file: 'f',
      text: '',
    } as const;
    const harvest = {
      k: 'xchg',
      loc: ['dirty_bitmap'],
      e: 0,
      fn: 'f',
      file: 'f',
      text: '',
    } as const;
    const h = opFootprint(harvest, undefined, 1);
    expect(anyConflict(opFootprint(access, 0, 1, true), h)).toBe(true);
    expect(anyConflict(opFootprint(access, 0, 1, false), h)).toBe(false);
  });

  it("footprints: two vCPUs' pushes touch different rings", () => {
    const mark = { k: 'mark_dirty', gfn: 0, fn: 'f', file: 'f', text: '' } as const;
    expect(anyConflict(opFootprint(mark, 0, 1), opFootprint(mark, 1, 1))).toBe(false);
    const collect = {
      k: 'load',
      dst: 'x',
      loc: [r0.flags, 'i'],
      fn: 'f',
      file: 'f',
      text: '',
    } as const;
    expect(anyConflict(opFootprint(mark, 0, 1), opFootprint(collect, undefined, 1))).toBe(true);
  });
});
