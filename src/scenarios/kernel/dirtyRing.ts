import type { KernelVersion, ProgramBuilder } from '../../engine';
import { KVM_DIRTY_GFN_F_DIRTY, KVM_DIRTY_GFN_F_RESET, ringArrays } from '../../engine';
import { FILES } from './refs';
import { SLOTS_LOCK, USERSPACE, writeProtectMasked } from './dirtyLog';

/**
 * The dirty ring's two consumers: userspace collecting entries
 * (KVM_DIRTY_GFN_F_DIRTY → KVM_DIRTY_GFN_F_RESET) and KVM_RESET_DIRTY_RINGS
 * (kvm_dirty_ring_reset) re-arming the collected gfns. The producer,
 * kvm_dirty_ring_push, is mark_page_dirty_in_slot's (the engine's
 * `mark_dirty` on a machine with a ring).
 */
export const RING_FILE = 'virt/kvm/dirty_ring.c';

export interface RingOptions {
  vcpu: number;
  /** Entries per ring, a power of two (the machine's dirtyRing.size). */
  size: number;
}

/** The location of entry field `field` at ring index register `ix`. */
const entry = (o: RingOptions, field: 'gfn' | 'flags', ix: string) =>
  [ringArrays(o.vcpu)[field], ['&', ix, o.size - 1]] as const;

/**
 * Userspace collects vCPU `vcpu`'s ring from its own fetch index (register
 * `fetch`), as QEMU's kvm_dirty_ring_reap_one does: every entry marked
 * dirty is added to `collected` (a gfn bitmask) and handed back with flags =
 * KVM_DIRTY_GFN_F_RESET. Label: `reap_done` after the loop.
 */
export function reapRing(b: ProgramBuilder, o: RingOptions & { collected: string }): void {
  const loop = b.uniq('reap');
  const done = 'reap_done';
  b.in(USERSPACE, undefined, () => {
    b.label(loop);
    b.load(
      'reap_flags',
      entry(o, 'flags', 'fetch'),
      'gfn = &dirty_gfns[fetch_index % size]; flags = smp_load_acquire(&gfn->flags);',
      'Userspace reads the entry at its own fetch index; KVM publishes an entry by writing its flags last.',
    );
    b.br(
      ['!', ['&', 'reap_flags', KVM_DIRTY_GFN_F_DIRTY]],
      done,
      'if (!(flags & KVM_DIRTY_GFN_F_DIRTY)) break;  /* dirty_gfn_is_dirtied */',
    );
    b.load('reap_gfn', entry(o, 'gfn', 'fetch'), 'slot = gfn->slot; offset = gfn->offset;');
    b.set(
      o.collected,
      ['|', o.collected, ['fn', 'bit', 'reap_gfn']],
      'kvm_dirty_ring_mark_page(s, slot, offset);  /* into the migration bitmap */',
    );
    b.store(
      entry(o, 'flags', 'fetch'),
      KVM_DIRTY_GFN_F_RESET,
      'smp_store_release(&gfn->flags, KVM_DIRTY_GFN_F_RESET);  /* dirty_gfn_set_collected */',
      'Handed back: only now may KVM_RESET_DIRTY_RINGS reset this entry and re-arm its gfn.',
    );
    b.set('fetch', ['+', 'fetch', 1], 'fetch_index++;');
    b.jmp(loop, 'continue;');
  });
  b.label(done);
}

export interface ResetOptions extends RingOptions {
  /** SPTE slots of the shadow MMU rmaps that the re-arm may write-protect. */
  slots: readonly number[];
  kernel: KernelVersion;
  /**
   * Hypothetical bug: reset every pushed entry (up to dirty_index) instead of
   * stopping at the first one userspace has not handed back.
   */
  skipHarvestedCheck: boolean;
}

/**
 * KVM_RESET_DIRTY_RINGS for one vCPU (kvm_vm_ioctl_reset_dirty_pages →
 * kvm_dirty_ring_reset), under slots_lock: for each entry from reset_index
 * that userspace handed back, mark it invalid, advance reset_index and
 * write-protect its gfn (kvm_reset_dirty_gfn under mmu_lock); flush after
 * unlocking if anything was reset. Simplified: each entry's gfn is re-armed
 * on its own (mask 1), where the kernel batches neighbouring gfns of a slot
 * into one mask and re-arms a batch when the next entry cannot join it.
 * Label: `reset_start` at the ioctl.
 */
export function resetRing(b: ProgramBuilder, o: ResetOptions): void {
  const r = ringArrays(o.vcpu);
  const loop = b.uniq('reset_loop');
  const out = b.uniq('reset_out');
  const noFlush = b.uniq('reset_noflush');
  b.label('reset_start');
  b.in('kvm_vm_ioctl_reset_dirty_pages', FILES.kvmMain, () =>
    b.lock(SLOTS_LOCK, 'excl', 'mutex_lock(&kvm->slots_lock);'),
  );
  b.in('kvm_dirty_ring_reset', RING_FILE, () => {
    if (o.skipHarvestedCheck)
      b.load(
        'rdi',
        [r.dirtyIndex],
        'u32 end = READ_ONCE(ring->dirty_index);  /* hypothetical */',
        'Snapshots how far the vCPU has pushed, including entries userspace never collected.',
      );
    b.label(loop);
    b.load(
      'ri',
      [r.resetIndex],
      'entry = &ring->dirty_gfns[ring->reset_index & (ring->size - 1)];',
    );
    if (o.skipHarvestedCheck) {
      b.br(
        ['==', 'ri', 'rdi'],
        out,
        'if (ring->reset_index == end) break;  /* hypothetical: no kvm_dirty_gfn_harvested() check */',
        'Resets every entry the vCPU has pushed so far, whether or not userspace has collected it.',
      );
    } else {
      b.load(
        'rfl',
        entry(o, 'flags', 'ri'),
        'flags = smp_load_acquire(&entry->flags);  /* kvm_dirty_gfn_harvested */',
      );
      b.br(
        ['!', ['&', 'rfl', KVM_DIRTY_GFN_F_RESET]],
        out,
        'if (!kvm_dirty_gfn_harvested(entry)) break;',
        'Stops at the first entry userspace has not handed back: an entry pushed after userspace collected the ring stays dirty, for the next collection.',
      );
    }
    b.load(
      'rg',
      entry(o, 'gfn', 'ri'),
      'next_slot = READ_ONCE(entry->slot); next_offset = READ_ONCE(entry->offset);',
    );
    b.store(
      entry(o, 'flags', 'ri'),
      0,
      'kvm_dirty_gfn_set_invalid(entry);  /* smp_store_release(&gfn->flags, 0) */',
    );
    b.store(
      [r.resetIndex],
      ['+', 'ri', 1],
      o.kernel === '7.2'
        ? 'ring->reset_index++; (*nr_entries_reset)++;'
        : 'ring->reset_index++; count++;',
    );
    b.set('cleared', ['+', 'cleared', 1], 'cleared++;  /* kvm_vm_ioctl_reset_dirty_pages */');
    b.in('kvm_reset_dirty_gfn', RING_FILE, () => {
      b.lock('mmu_lock', 'write', 'KVM_MMU_LOCK(kvm);');
      b.in('kvm_arch_mmu_enable_log_dirty_pt_masked', FILES.mmu, () =>
        b.nop(
          'kvm_arch_mmu_enable_log_dirty_pt_masked(kvm, memslot, offset, mask);  /* no PML: write-protect */',
        ),
      );
      writeProtectMasked(b, o.slots, ['fn', 'bit', 'rg'], o.kernel);
      b.unlock('mmu_lock', 'write', 'KVM_MMU_UNLOCK(kvm);');
    });
    b.jmp(loop, 'continue;');
    b.label(out);
  });
  b.in('kvm_vm_ioctl_reset_dirty_pages', FILES.kvmMain, () => {
    b.unlock(SLOTS_LOCK, 'excl', 'mutex_unlock(&kvm->slots_lock);');
    b.br(['==', 'cleared', 0], noFlush, 'if (cleared)');
    b.flushTlbs(
      'kvm_flush_remote_tlbs(kvm);',
      'After slots_lock is dropped: until this flush a vCPU may still write a re-armed gfn through a cached writable translation, which is why userspace copies only after the ioctl returns.',
    );
    b.label(noFlush);
  });
}
