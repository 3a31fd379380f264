import type { Expr, KernelRef, KernelVersion, MachineDef, ProgramBuilder } from '../../engine';
import { SPTE } from '../../engine';
import { FILES, atomicUpdateTest, dirtiedAtFault } from './refs';

/**
 * The dirty-log paths beside KVM_GET_DIRTY_LOG's write-protecting harvest
 * (host.ts): re-arming logging for a set of gfns on the shadow MMU's rmaps
 * (W-bit logging), KVM_CLEAR_DIRTY_LOG (manual protect), and the ops that
 * stand for userspace. Each function says which kernel code it follows.
 */

/**
 * Ops that stand for userspace (the VMM: QEMU's migration thread) name this
 * pseudo-function: it is no kernel function, so a check of the kernel tree
 * skips it, and the code pane links to the documentation of the ioctls.
 */
export const USERSPACE: KernelRef = {
  fn: 'QEMU',
  file: 'include/uapi/linux/kvm.h',
  origin: 'userspace',
};

export const SLOTS_LOCK = 'kvm->slots_lock';

/** Where the dirty-log scenarios exist: the kernels whose dirty-log code they were checked against. */
export const DIRTY_LOG_KERNELS = {
  kernels: ['6.12', '7.2'],
  kernelNote:
    'the dirty-log paths were checked against the 6.12 and 7.2 sources; no 6.8 tree was at hand',
} as const satisfies { kernels: readonly KernelVersion[]; kernelNote: string };

/**
 * The dirty-log scenarios' machine: gfns A (0) and B (1) on pfns 1 and 2,
 * each mapped by a direct SPTE, one vCPU, dirty logging on, `mmu_lock` and
 * `slots_lock`; `extra` adds what a scenario logs into (a bitmap word, a ring).
 */
export function twoGfnLogMachine(o: {
  sptes: [number, number];
  kernel: KernelVersion;
  extra: Pick<MachineDef, 'dirtyBitmap' | 'dirtyRing'>;
}): MachineDef {
  return {
    gfnNames: ['A', 'B'],
    pfns: 2,
    slots: [
      { name: 'A', spte: o.sptes[0], gfn: 0 },
      { name: 'B', spte: o.sptes[1], gfn: 1 },
    ],
    indirect: false,
    gptes: [],
    vcpus: 1,
    pages: [
      { pfn: 1, gfn: 0, dirty: dirtiedAtFault(o.kernel) },
      { pfn: 2, gfn: 1, dirty: dirtiedAtFault(o.kernel) },
    ],
    hostMap: { 0: 1, 1: 2 },
    dirtyLogging: true,
    ...o.extra,
    locks: [
      { name: 'mmu_lock', type: 'rwlock' },
      { name: SLOTS_LOCK, type: 'mutex' },
    ],
    srcu: [],
  };
}

/**
 * kvm_arch_mmu_enable_log_dirty_pt_masked without PML, on the shadow MMU's
 * rmaps: kvm_mmu_write_protect_pt_masked → rmap_write_protect →
 * spte_write_protect(sptep, false) → mmu_spte_update, for each SPTE in
 * `slots` whose gfn has its bit in register `mask`. Caller holds mmu_lock
 * for write; the TLB flush is the caller's, after unlocking.
 */
export function writeProtectMasked(
  b: ProgramBuilder,
  slots: readonly number[],
  mask: Expr,
  k: KernelVersion,
): void {
  const atomic = atomicUpdateTest(k);
  b.in('kvm_mmu_write_protect_pt_masked', FILES.mmu, () => {
    for (const slot of slots) {
      const skip = b.uniq('wpm_next');
      const plain = b.uniq('wpm_plain');
      const track = b.uniq('wpm_track');
      const spte = ['spte', slot] as const;
      b.br(
        [
          '!',
          [
            '&&',
            ['fn', 'is_shadow_present_pte', ['ld', spte]],
            ['&', mask, ['fn', 'bit', ['ld', ['spgfn', slot]]]],
          ],
        ],
        skip,
        'rmap_head = gfn_to_rmap(slot->base_gfn + gfn_offset + __ffs(mask), PG_LEVEL_4K, slot); for_each_rmap_spte(rmap_head, &iter, sptep)',
      );
      b.in('spte_write_protect', FILES.mmu, () => {
        b.load('wpm_spte', spte, 'u64 spte = *sptep;');
        b.br(
          ['!', ['fn', 'is_writable_pte', 'wpm_spte']],
          skip,
          'if (!is_writable_pte(spte) && !(pt_protect && is_mmu_writable_spte(spte))) return false;',
          'Already write-protected: the next write faults and is logged anyway.',
        );
      });
      // 6.12 reads and writes in mmu_spte_update_no_track; 6.13 folded it into mmu_spte_update.
      b.in(k === '7.2' ? 'mmu_spte_update' : 'mmu_spte_update_no_track', FILES.mmu, () => {
        b.load('wpm_old', spte, 'u64 old_spte = *sptep;');
        b.br(['!', ['fn', atomic, 'wpm_old']], plain, `if (!${atomic}(old_spte)) goto fast;`);
        b.xchg(
          spte,
          ['&', 'wpm_spte', ~SPTE.W],
          'wpm_old',
          'old_spte = __update_clear_spte_slow(sptep, new_spte);  /* xchg: W may be set by the fast path, D by the CPU */',
        );
        b.jmp(track, 'return old_spte;');
        b.label(plain);
        b.store(spte, ['&', 'wpm_spte', ~SPTE.W], '__update_clear_spte_fast(sptep, new_spte);');
      });
      b.label(track);
      if (!dirtiedAtFault(k))
        b.in('mmu_spte_update', FILES.mmu, () =>
          b.rmw(
            ['page_dirty', ['fn', 'spte_to_pfn', 'wpm_old']],
            '|',
            [
              '&&',
              ['fn', 'is_dirty_spte', 'wpm_old'],
              ['!', ['fn', 'is_dirty_spte', ['&', 'wpm_spte', ~SPTE.W]]],
            ],
            undefined,
            'if (is_dirty_spte(old_spte) && !is_dirty_spte(new_spte)) kvm_set_pfn_dirty(spte_to_pfn(old_spte));',
          ),
        );
      else b.nop('return leaf_spte_change_needs_tlb_flush(old_spte, new_spte);');
      b.label(skip);
    }
  });
}

/**
 * KVM_GET_DIRTY_LOG with KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2: the bitmap is
 * copied to userspace as it is, neither cleared nor write-protected
 * ("no flush is needed until KVM_CLEAR_DIRTY_LOG"). Leaves it in `dst`.
 */
export function getDirtyLogManual(b: ProgramBuilder, dst: string): void {
  b.in('kvm_vm_ioctl_get_dirty_log', FILES.kvmMain, () =>
    b.lock(SLOTS_LOCK, 'excl', 'mutex_lock(&kvm->slots_lock);'),
  );
  b.in('kvm_get_dirty_log_protect', FILES.kvmMain, () =>
    b.load(
      dst,
      ['dirty_bitmap'],
      'if (kvm->manual_dirty_log_protect) dirty_bitmap_buffer = dirty_bitmap;  copy_to_user(log->dirty_bitmap, dirty_bitmap_buffer, n);',
      'Manual protect: the reported gfns stay in the bitmap and stay writable until userspace clears them.',
    ),
  );
  b.in('kvm_vm_ioctl_get_dirty_log', FILES.kvmMain, () =>
    b.unlock(SLOTS_LOCK, 'excl', 'mutex_unlock(&kvm->slots_lock);'),
  );
}

export interface ClearOptions {
  slots: readonly number[];
  /** Register holding the bitmap userspace passes in (the gfns it wants re-armed). */
  mask: string;
  kernel: KernelVersion;
  /** Hypothetical bug: clear the bits with a plain load and store, not atomic_long_fetch_andnot. */
  plain: boolean;
}

/**
 * KVM_CLEAR_DIRTY_LOG (kvm_clear_dirty_log_protect): under mmu_lock, clear
 * the requested bits and keep in `clr` the ones that really were set, then
 * write-protect exactly those gfns; flush after unlocking mmu_lock.
 */
export function clearDirtyLog(b: ProgramBuilder, o: ClearOptions): void {
  const noFlush = b.uniq('clr_noflush');
  b.in('kvm_vm_ioctl_clear_dirty_log', FILES.kvmMain, () =>
    b.lock(SLOTS_LOCK, 'excl', 'mutex_lock(&kvm->slots_lock);'),
  );
  b.in('kvm_clear_dirty_log_protect', FILES.kvmMain, () => {
    b.lock('mmu_lock', 'write', 'KVM_MMU_LOCK(kvm);');
    if (o.plain) {
      b.load(
        'clr_word',
        ['dirty_bitmap'],
        'unsigned long word = dirty_bitmap[i];  /* hypothetical: a plain read-modify-write */',
        'mmu_lock does not keep the bitmap still: mark_page_dirty_in_slot sets bits without it (the fast page fault runs lockless).',
      );
      b.store(
        ['dirty_bitmap'],
        ['&', 'clr_word', ['~', o.mask]],
        'dirty_bitmap[i] = word & ~mask;  /* hypothetical */',
        'Stores back the word as it was read: a bit another CPU set in between is wiped.',
      );
      b.set('clr', ['&', o.mask, 'clr_word'], 'mask &= word;');
    } else {
      b.rmw(
        ['dirty_bitmap'],
        '&',
        ['~', o.mask],
        'clr_word',
        'mask &= atomic_long_fetch_andnot(mask, p);',
        'One atomic read-modify-write: bits set by other CPUs meanwhile survive, and mask keeps only the bits that really were set.',
      );
      b.set(
        'clr',
        ['&', o.mask, 'clr_word'],
        '/* mask contains the bits that really have been cleared */',
      );
    }
    b.br(['==', 'clr', 0], noFlush, 'if (mask) {');
    b.set('clr_flush', 1, 'flush = true;');
    b.in('kvm_arch_mmu_enable_log_dirty_pt_masked', FILES.mmu, () =>
      b.nop(
        'kvm_arch_mmu_enable_log_dirty_pt_masked(kvm, memslot, offset, mask);  /* no PML: write-protect */',
      ),
    );
    writeProtectMasked(b, o.slots, 'clr', o.kernel);
    b.label(noFlush);
    b.unlock('mmu_lock', 'write', 'KVM_MMU_UNLOCK(kvm);');
    const skip = b.uniq('clr_skip_flush');
    b.br(['!', 'clr_flush'], skip, 'if (flush)');
    b.flushTlbs('kvm_flush_remote_tlbs_memslot(kvm, memslot);');
    b.label(skip);
  });
  b.in('kvm_vm_ioctl_clear_dirty_log', FILES.kvmMain, () =>
    b.unlock(SLOTS_LOCK, 'excl', 'mutex_unlock(&kvm->slots_lock);'),
  );
}

/** Userspace sends the pages of the gfns in `mask` to the destination. */
export function copyPages(b: ProgramBuilder, mask: Expr, text: string): void {
  b.in(USERSPACE, undefined, () =>
    b.harvestCopy(
      mask,
      text,
      'The migration destination now has the current contents of these gfns; a write from here on must show up in the next harvest.',
    ),
  );
}
