import type { KernelVersion, ProgramBuilder } from '../../engine';
import { NONPRESENT, SPTE } from '../../engine';
import { FILES, atomicUpdateTest, dirtiedAtFault } from './refs';
import { TDP_FILES, nonpresentName } from './tdp';
import { SLOTS_LOCK, copyPages } from './dirtyLog';

/**
 * D-bit dirty logging with PML on the TDP MMU: the harvest re-arms a gfn by
 * clearing Dirty (clear_dirty_pt_masked) and the CPU logs the gfn again when
 * it next sets Dirty; a zap must therefore take Dirty from the value it
 * actually replaced (kvm_tdp_mmu_write_spte's xchg) to the page.
 */

/** 6.12: kvm_tdp_mmu_spte_need_atomic_write; 7.2 renamed it ..._need_atomic_update. */
const needAtomicName = (k: KernelVersion) =>
  k === '7.2' ? 'kvm_tdp_mmu_spte_need_atomic_update' : 'kvm_tdp_mmu_spte_need_atomic_write';

/**
 * KVM_GET_DIRTY_LOG with PML (kvm_get_dirty_log_protect): take the bitmap
 * word with xchg, clear Dirty on the reported gfn's leaf SPTE
 * (kvm_arch_mmu_enable_log_dirty_pt_masked → kvm_mmu_clear_dirty_pt_masked
 * → clear_dirty_pt_masked), flush after unlocking, and userspace sends the
 * pages. The kick of kvm_arch_sync_dirty_log is folded into the engine's PML.
 */
export function pmlHarvest(b: ProgramBuilder, o: { slot: number; kernel: KernelVersion }): void {
  const k = o.kernel;
  const spte = ['spte', o.slot] as const;
  const skip = b.uniq('cd_skip');
  const plain = b.uniq('cd_plain');
  const done = b.uniq('cd_done');
  b.in('kvm_vm_ioctl_get_dirty_log', FILES.kvmMain, () =>
    b.lock(SLOTS_LOCK, 'excl', 'mutex_lock(&kvm->slots_lock);'),
  );
  b.in('kvm_get_dirty_log_protect', FILES.kvmMain, () => {
    b.in('kvm_arch_sync_dirty_log', FILES.x86, () =>
      b.nop('kvm_for_each_vcpu(i, vcpu, kvm) kvm_vcpu_kick(vcpu);  /* flush PML buffers */', {
        note: 'Every vCPU exits and moves its PML buffer into the bitmap. In the model the CPU logs a gfn in the same step as it sets Dirty, so the buffers are always empty here.',
      }),
    );
    b.lock('mmu_lock', 'write', 'KVM_MMU_LOCK(kvm);');
    b.xchg(['dirty_bitmap'], 0, 'mask', 'mask = xchg(&dirty_bitmap[i], 0);');
  });
  b.in('clear_dirty_pt_masked', TDP_FILES.tdpMmu, () => {
    b.br(
      ['!', ['&', 'mask', ['fn', 'bit', ['ld', ['spgfn', o.slot]]]]],
      skip,
      'tdp_root_for_each_leaf_pte(iter, root, gfn + __ffs(mask), ...) if (!(mask & (1UL << (iter.gfn - gfn)))) continue;',
      'kvm_x86_ops.cpu_dirty_log_size (PML): kvm_mmu_clear_dirty_pt_masked, wrprot = false, so dbit is the Dirty bit.',
    );
    b.load('cd_old', spte, 'iter.old_spte = kvm_tdp_mmu_read_spte(iter.sptep);  /* the walk */');
    b.br(
      ['||', ['!', ['fn', 'is_shadow_present_pte', 'cd_old']], ['!', ['&', 'cd_old', SPTE.D]]],
      skip,
      'if (!(iter.old_spte & dbit)) continue;  /* not present or not Dirty */',
    );
  });
  b.in('tdp_mmu_clear_spte_bits', TDP_FILES.tdpIter, () => {
    b.br(
      ['!', ['fn', atomicUpdateTest(k), 'cd_old']],
      plain,
      `if (${needAtomicName(k)}(old_spte, level))`,
      'A writable SPTE whose Dirty bit is already set has no bit the CPU can still set: a plain store is safe.',
    );
    b.rmw(
      spte,
      '&',
      ~SPTE.D,
      'cd_old',
      k === '7.2'
        ? 'return tdp_mmu_clear_spte_bits_atomic(sptep, mask);  /* atomic64_fetch_and */'
        : 'return (u64)atomic64_fetch_and(~mask, sptep_atomic);',
    );
    b.jmp(done, 'return;  /* old value in iter.old_spte */');
    b.label(plain);
    b.store(spte, ['&', 'cd_old', ~SPTE.D], '__kvm_tdp_mmu_write_spte(sptep, old_spte & ~mask);');
  });
  b.label(done);
  b.in('clear_dirty_pt_masked', TDP_FILES.tdpMmu, () => {
    if (!dirtiedAtFault(k))
      b.rmw(
        ['page_dirty', ['fn', 'spte_to_pfn', 'cd_old']],
        '|',
        1,
        undefined,
        'kvm_set_pfn_dirty(spte_to_pfn(iter.old_spte));',
        'The Dirty bit cleared here moves to the page, so reclaim still writes it back.',
      );
    else
      b.nop('trace_kvm_tdp_mmu_spte_changed(...);  /* 7.2: the folio was dirtied at fault time */');
  });
  b.label(skip);
  b.in('kvm_get_dirty_log_protect', FILES.kvmMain, () => {
    b.unlock('mmu_lock', 'write', 'KVM_MMU_UNLOCK(kvm);');
    b.flushTlbs(
      'if (flush) kvm_flush_remote_tlbs_memslot(kvm, memslot);',
      'A TLB entry that cached Dirty would let the guest write without setting Dirty again, so without logging.',
    );
  });
  b.in('kvm_vm_ioctl_get_dirty_log', FILES.kvmMain, () =>
    b.unlock(SLOTS_LOCK, 'excl', 'mutex_unlock(&kvm->slots_lock);'),
  );
  copyPages(b, 'mask', 'send the reported pages to the destination;');
}

/**
 * An MMU-notifier invalidation zapping gfn G's leaf on the TDP MMU
 * (kvm_unmap_gfn_range → kvm_tdp_mmu_unmap_gfn_range → tdp_mmu_zap_leafs →
 * tdp_mmu_iter_set_spte → tdp_mmu_set_spte), under mmu_lock for write. The
 * page is neither moved nor freed. `dropsD`: the hypothetical zap that
 * stores the non-present value with a plain store and hands its earlier
 * read to handle_changed_spte. Label: `zap_write`.
 */
export function tdpZapLeaf(
  b: ProgramBuilder,
  o: { slot: number; kernel: KernelVersion; dropsD: boolean },
): void {
  const k = o.kernel;
  const spte = ['spte', o.slot] as const;
  const out = b.uniq('zap_out');
  const plain = b.uniq('zap_plain');
  const handled = b.uniq('zap_handled');
  const np = nonpresentName(k);
  b.in('kvm_mmu_notifier_invalidate_range_start', FILES.kvmMain, () =>
    b.lock(
      'mmu_lock',
      'write',
      'KVM_MMU_LOCK(kvm);  /* kvm_handle_hva_range: kvm_unmap_gfn_range */',
    ),
  );
  b.in('tdp_mmu_zap_leafs', TDP_FILES.tdpMmu, () => {
    b.load(
      'z_old',
      spte,
      'for_each_tdp_pte_min_level(iter, root, PG_LEVEL_4K, start, end) { /* iter.old_spte read */',
    );
    b.br(
      ['!', ['fn', 'is_shadow_present_pte', 'z_old']],
      out,
      'if (!is_shadow_present_pte(iter.old_spte) || !is_last_spte(iter.old_spte, iter.level)) continue;',
    );
  });
  b.label('zap_write');
  b.in('kvm_tdp_mmu_write_spte', TDP_FILES.tdpIter, () => {
    if (o.dropsD) {
      b.store(
        spte,
        NONPRESENT,
        `__kvm_tdp_mmu_write_spte(sptep, ${np});  /* hypothetical: no atomic write */`,
        'mmu_lock held for write does not stop the CPU: with D-bit logging the SPTE is writable with Dirty clear, so the guest may set Dirty at any moment. A plain store drops a Dirty bit set since iter.old_spte was read.',
      );
      b.jmp(handled, 'return old_spte;  /* the stale read */');
    } else {
      b.br(
        ['!', ['fn', atomicUpdateTest(k), 'z_old']],
        plain,
        `if (${needAtomicName(k)}(old_spte, level))`,
        'Writable with Dirty clear (re-armed by the harvest) is volatile: the CPU may set Dirty under our feet.',
      );
      b.xchg(
        spte,
        NONPRESENT,
        'z_old',
        `return kvm_tdp_mmu_write_spte_atomic(sptep, ${np});  /* xchg */`,
        'The value replaced comes back, with any Dirty bit the CPU set since the walk.',
      );
      b.jmp(handled, 'return old_spte;  /* what the xchg replaced */');
      b.label(plain);
      b.store(spte, NONPRESENT, `__kvm_tdp_mmu_write_spte(sptep, ${np}); return old_spte;`);
    }
  });
  b.label(handled);
  b.in('handle_changed_spte', TDP_FILES.tdpMmu, () => {
    if (!dirtiedAtFault(k))
      b.rmw(
        ['page_dirty', ['fn', 'spte_to_pfn', 'z_old']],
        '|',
        ['fn', 'is_dirty_spte', 'z_old'],
        undefined,
        'if (was_leaf && is_dirty_spte(old_spte) && !is_present) kvm_set_pfn_dirty(spte_to_pfn(old_spte));',
        'What the zap must do with Dirty: the gfn is already in the log (PML logged it when the CPU set Dirty), but the page learns it is dirty only here.',
      );
    else
      b.nop(
        'kvm_update_page_stats(kvm, level, -1);  /* 7.2: no Dirty to move, the folio was dirtied at fault time */',
      );
  });
  b.in('kvm_mmu_notifier_invalidate_range_start', FILES.kvmMain, () => {
    b.flushTlbs('kvm_flush_remote_tlbs(kvm);  /* flush: a leaf was zapped */');
  });
  b.label(out);
  b.in('kvm_mmu_notifier_invalidate_range_start', FILES.kvmMain, () =>
    b.unlock('mmu_lock', 'write', 'KVM_MMU_UNLOCK(kvm);'),
  );
}

/**
 * A guest write to G on the TDP MMU, faulting when G is not present:
 * kvm_tdp_mmu_page_fault maps it writable with Dirty preset, so make_spte
 * marks the gfn itself (the CPU will not set Dirty, so PML will not log it).
 * Only one vCPU faults here, so the install cannot lose a race; the
 * mmu_invalidate_seq re-check is left out because the page never moves.
 */
export function tdpWrite(
  b: ProgramBuilder,
  o: { slot: number; gfn: number; pfn: number; kernel: KernelVersion },
): void {
  const k = o.kernel;
  const spte = ['spte', o.slot] as const;
  const retry = b.uniq('tw_access');
  const done = b.uniq('tw_done');
  const unlock = b.uniq('tw_unlock');
  b.in('vcpu_enter_guest', FILES.x86, () => {
    b.label(retry);
    b.access(
      o.slot,
      true,
      'fault',
      'guest: *gva = val;  /* through the TLB / EPT walk; PML logs when Dirty is set */',
    );
    b.br(['!', 'fault'], done, 'if (no fault) continue in the guest;');
  });
  b.in('kvm_tdp_mmu_page_fault', FILES.mmu, () => {
    b.set(
      'pfn',
      o.pfn,
      k === '7.2'
        ? 'r = kvm_mmu_faultin_pfn(vcpu, fault, ACC_ALL);'
        : 'r = kvm_faultin_pfn(vcpu, fault, ACC_ALL);',
      `GUP: G is resident and writable at pfn${o.pfn}.`,
    );
    b.lock('mmu_lock', 'read', 'read_lock(&vcpu->kvm->mmu_lock);');
  });
  b.in('kvm_tdp_mmu_map', TDP_FILES.tdpMmu, () => {
    b.load('t_old', spte, 'iter.old_spte = kvm_tdp_mmu_read_spte(iter.sptep);');
    b.br(
      ['fn', 'is_shadow_present_pte', 't_old'],
      unlock,
      'if (is_shadow_present_pte(iter.old_spte)) goto spurious;',
    );
  });
  b.in('make_spte', FILES.spteC, () => {
    b.set(
      't_new',
      ['fn', 'make_spte', 'pfn', 1, 1],
      k === '7.2'
        ? 'spte |= PT_WRITABLE_MASK | shadow_mmu_writable_mask | shadow_dirty_mask;'
        : 'spte |= PT_WRITABLE_MASK | shadow_mmu_writable_mask; spte |= spte_shadow_dirty_mask(spte);',
    );
    b.markDirty(
      o.gfn,
      'if ((spte & PT_WRITABLE_MASK) && kvm_slot_dirty_track_enabled(slot)) mark_page_dirty_in_slot(vcpu->kvm, slot, gfn);',
      'Dirty is preset, so the CPU will not set it and PML will not log this write: make_spte logs the gfn itself.',
    );
  });
  b.in('tdp_mmu_map_handle_target_level', TDP_FILES.tdpMmu, () =>
    b.cas(
      spte,
      't_old',
      't_new',
      't_ok',
      'tdp_mmu_set_spte_atomic(vcpu->kvm, iter, new_spte);  /* try_cmpxchg64 */',
    ),
  );
  b.label(unlock);
  if (dirtiedAtFault(k))
    b.in('kvm_release_faultin_page', FILES.kvmHost, () =>
      b.store(
        ['page_dirty', 'pfn'],
        1,
        'kvm_release_faultin_page(kvm, fault->refcounted_page, r == RET_PF_RETRY, fault->map_writable);',
      ),
    );
  b.in('kvm_tdp_mmu_page_fault', FILES.mmu, () => {
    b.unlock('mmu_lock', 'read', 'read_unlock(&vcpu->kvm->mmu_lock);');
    b.jmp(retry, 'return RET_PF_FIXED;  /* the guest retries the write */');
  });
  b.label(done);
}
