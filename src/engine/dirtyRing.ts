import type { Ctx } from './ctx';
import type { Layout } from './layout';
import type { MachineDef } from './model';
import { ScenarioError } from './errors';

/**
 * The dirty ring (virt/kvm/dirty_ring.c): per vCPU, `size` entries of
 * struct kvm_dirty_gfn (the model keeps the gfn in place of slot and
 * offset: one memslot) and the kernel's two indices. Each vCPU's ring is a
 * set of arrays of its own (`ring0_flags`, ...), so that static footprints
 * tell two vCPUs' pushes apart and the partial-order reduction sees them
 * commute. Userspace's fetch index lives in its thread's registers.
 */

/** struct kvm_dirty_gfn flags (include/uapi/linux/kvm.h). */
export const KVM_DIRTY_GFN_F_DIRTY = 1;
export const KVM_DIRTY_GFN_F_RESET = 2;

/** The array names of vCPU `v`'s ring. */
export const ringArrays = (v: number) => ({
  gfn: `ring${v}_gfn`,
  flags: `ring${v}_flags`,
  dirtyIndex: `ring${v}_dirty_index`,
  resetIndex: `ring${v}_reset_index`,
});

/** Adds the ring arrays to a layout under construction (nothing without a ring). */
export function addRingArrays(
  m: MachineDef,
  add: (name: string, len: number, label: (i: number) => string) => void,
): void {
  const size = m.dirtyRing?.size ?? 0;
  if (!size) return;
  if (size & (size - 1)) throw new ScenarioError(`dirty ring size ${size} is not a power of two`);
  for (let v = 0; v < m.vcpus; v++) {
    const r = ringArrays(v);
    add(r.gfn, size, (i) => `vCPU${v} ring[${i}].gfn`);
    add(r.flags, size, (i) => `vCPU${v} ring[${i}].flags`);
    add(r.dirtyIndex, 1, () => `vCPU${v} ring dirty_index`);
    add(r.resetIndex, 1, () => `vCPU${v} ring reset_index`);
  }
}

/**
 * kvm_dirty_ring_push: fill the entry at dirty_index, publish it with
 * flags = DIRTY, then dirty_index++. One step: no kernel code reads an entry
 * the vCPU is filling, and userspace looks at an entry only through its
 * flags, which the push writes last (smp_wmb), so splitting the stores
 * would add interleavings without outcomes. The ring never fills in the
 * scenarios (the soft-full exit is not modelled): a full ring is an error.
 */
export function ringPush(c: Ctx, layout: Layout, v: number, gfn: number, name: string): void {
  const size = layout.machine.dirtyRing?.size ?? 0;
  const r = ringArrays(v);
  const di = layout.index(r.dirtyIndex);
  const idx = c.read(di);
  if (idx - c.read(layout.index(r.resetIndex)) >= size)
    throw new ScenarioError(
      `vCPU${v}'s dirty ring is full (${size} entries): KVM_EXIT_DIRTY_RING_FULL is not modelled`,
    );
  const slot = idx & (size - 1);
  c.write(layout.index(r.gfn, slot), gfn);
  c.write(layout.index(r.flags, slot), KVM_DIRTY_GFN_F_DIRTY);
  c.write(di, idx + 1);
  if (c.recording) c.outcome = `${name} pushed to vCPU${v}'s ring, entry ${slot}`;
}

/**
 * Whether gfn `g` is still on record in some ring: an entry that is dirty
 * (not yet collected) or collected by userspace but not yet reset by KVM.
 * An entry KVM has reset (flags 0) no longer reports anything.
 */
export function ringHolds(s: Int32Array, layout: Layout, g: number): boolean {
  const m = layout.machine;
  const size = m.dirtyRing?.size ?? 0;
  for (let v = 0; size && v < m.vcpus; v++) {
    const r = ringArrays(v);
    for (let i = 0; i < size; i++)
      if (s[layout.index(r.flags, i)] && s[layout.index(r.gfn, i)] === g) return true;
  }
  return false;
}
