import type { ProgramBuilder } from '../../engine';
import { SPTE, type KernelVersion } from '../../engine';
import { clearTrackBits, type ZapFlavour } from './zap';
import { FILES, atomicUpdateTest, dirtiedAtFault } from './refs';
import { bitOf } from './fault';

/** mmu_lock-held rmap test: does SPTE `slot` map gfn `g` (present and recorded for g)? */
const rmapHas = (slot: number, g: number | string) =>
  [
    '&&',
    ['fn', 'is_shadow_present_pte', ['ld', ['spte', slot]]],
    ['==', ['ld', ['spgfn', slot]], g],
  ] as const;

export interface InvalidateOptions {
  gfn: number;
  /** SPTE slots whose rmap may hold the gfn. */
  slots: number[];
  zap: ZapFlavour;
  /** Swap the page out and free it between invalidate_range_start and _end. */
  free: boolean;
  /** Instead, migrate the page to another frame (copy, remap, free the old one). */
  migrate?: boolean;
}

/**
 * An MMU-notifier invalidation of one gfn, as reclaim (swap-out) triggers
 * it: invalidate_range_start zaps the SPTEs and flushes TLBs under mmu_lock
 * held for write; the host then unmaps and frees the page; invalidate_range_end
 * bumps mmu_invalidate_seq before dropping mmu_invalidate_in_progress.
 */
export function invalidateGfn(b: ProgramBuilder, o: InvalidateOptions): void {
  b.in('kvm_mmu_notifier_invalidate_range_start', FILES.kvmMain, () => {
    b.lock('mmu_lock', 'write', 'KVM_MMU_LOCK(kvm);  /* write_lock(&kvm->mmu_lock) */');
    b.rmw(
      ['mmu_invalidate_in_progress'],
      '+',
      1,
      'prev_in_progress',
      // Renamed kvm_mmu_invalidate_start in 6.13.
      `${o.zap === 'v7.2' ? 'kvm_mmu_invalidate_start' : 'kvm_mmu_invalidate_begin'}(kvm);  /* mmu_invalidate_in_progress++ */`,
    );
    b.store(
      ['mmu_invalidate_range'],
      [
        '?',
        'prev_in_progress',
        ['|', ['ld', ['mmu_invalidate_range']], bitOf(o.gfn)],
        bitOf(o.gfn),
      ],
      'kvm_mmu_invalidate_range_add(kvm, start, end);',
    );
    b.in('kvm_unmap_gfn_range', FILES.mmu, () => {
      for (const slot of o.slots) {
        const skip = b.uniq('rmap_next');
        b.br(
          ['!', rmapHas(slot, o.gfn)],
          skip,
          'for_each_rmap_spte(rmap_head, &iter, sptep)  /* kvm_zap_all_rmap_sptes */',
        );
        clearTrackBits(b, slot, o.zap);
        b.label(skip);
      }
    });
    b.label(b.uniq('inv_flush'));
    b.flushTlbs('kvm_flush_remote_tlbs(kvm);  /* still holding mmu_lock */');
    b.unlock('mmu_lock', 'write', 'KVM_MMU_UNLOCK(kvm);');
  });
  if (o.migrate)
    b.in('migrate_pages', 'mm/migrate.c', () =>
      b.migrate(
        o.gfn,
        'migrate_folio(): copy to a new page, point the host PTE at it, free the old one;',
        'From here the host maps the gfn to the new page. A page reference taken before (a GUP in flight) keeps the old frame from being freed, but not from being stale.',
      ),
    );
  if (o.free)
    b.in('shrink_folio_list', FILES.vmscan, () =>
      b.unmapFree(
        o.gfn,
        'try_to_unmap(folio); pageout(folio); free the folio;',
        'Only now, after the SPTEs are gone and TLBs flushed, can the frame be reused. A page reference (pin) keeps it allocated.',
      ),
    );
  b.in('kvm_mmu_notifier_invalidate_range_end', FILES.kvmMain, () => {
    b.lock('mmu_lock', 'write', 'KVM_MMU_LOCK(kvm);');
    b.rmw(
      ['mmu_invalidate_seq'],
      '+',
      1,
      undefined,
      'kvm_mmu_invalidate_end: kvm->mmu_invalidate_seq++; smp_wmb();',
    );
    b.rmw(['mmu_invalidate_in_progress'], '+', -1, undefined, 'kvm->mmu_invalidate_in_progress--;');
    b.unlock('mmu_lock', 'write', 'KVM_MMU_UNLOCK(kvm);');
  });
}

/**
 * KVM_GET_DIRTY_LOG without manual protect (kvm_get_dirty_log_protect):
 * under mmu_lock, xchg the bitmap word to 0 and write-protect the reported
 * gfns (clear W, keep MMU-writable); flush after unlock; userspace copies.
 */
export function harvestDirtyLog(
  b: ProgramBuilder,
  slots: number[],
  kernel: KernelVersion = '6.12',
): void {
  const atomic = atomicUpdateTest(kernel);
  b.in('kvm_get_dirty_log_protect', FILES.kvmMain, () => {
    b.lock('mmu_lock', 'write', 'KVM_MMU_LOCK(kvm);');
    b.xchg(
      ['dirty_bitmap'],
      0,
      'mask',
      'mask = xchg(&dirty_bitmap[i], 0);',
      'Every gfn reported here is write-protected again below, so its next write faults and is logged.',
    );
    b.in('spte_write_protect', FILES.mmu, () => {
      for (const slot of slots) {
        const skip = b.uniq('wp_next');
        const plain = b.uniq('wp_plain');
        b.br(
          [
            '!',
            [
              '&&',
              ['fn', 'is_shadow_present_pte', ['ld', ['spte', slot]]],
              ['&', 'mask', ['fn', 'bit', ['ld', ['spgfn', slot]]]],
            ],
          ],
          skip,
          'kvm_arch_mmu_enable_log_dirty_pt_masked(kvm, slot, offset, mask);  /* rmap of each gfn in mask */',
        );
        const propagate = b.uniq('wp_su8');
        b.load(
          'wp_spte',
          ['spte', slot],
          'spte = *sptep;',
          'WP1: the new value is computed from this read.',
        );
        b.br(
          ['!', ['fn', 'is_writable_pte', 'wp_spte']],
          skip,
          'if (!is_writable_pte(spte)) return false;  /* pt_protect = false */',
        );
        b.in('mmu_spte_update', FILES.mmu, () => {
          b.load('wp_old', ['spte', slot], 'old_spte = *sptep;  /* mmu_spte_update_no_track */');
          b.br(['!', ['fn', atomic, 'wp_old']], plain, `if (!${atomic}(old_spte)) goto plain;`);
          b.xchg(
            ['spte', slot],
            ['&', 'wp_spte', ~SPTE.W],
            'wp_old',
            'old_spte = __update_clear_spte_slow(sptep, spte & ~PT_WRITABLE_MASK);  /* xchg */',
          );
          b.jmp(propagate, 'goto track;');
          b.label(plain);
          b.store(
            ['spte', slot],
            ['&', 'wp_spte', ~SPTE.W],
            '__update_clear_spte_fast(sptep, spte & ~PT_WRITABLE_MASK);',
          );
          b.label(propagate);
          // 7.2's mmu_spte_update no longer calls kvm_set_pfn_dirty (dirtied at fault time).
          if (!dirtiedAtFault(kernel))
            b.rmw(
              ['page_dirty', ['fn', 'spte_to_pfn', 'wp_old']],
              '|',
              [
                '&&',
                ['fn', 'is_dirty_spte', 'wp_old'],
                ['!', ['fn', 'is_dirty_spte', ['&', 'wp_spte', ~SPTE.W]]],
              ],
              undefined,
              'if (is_dirty_spte(old_spte) && !is_dirty_spte(new_spte)) kvm_set_pfn_dirty(spte_to_pfn(old_spte));',
            );
        });
        b.label(skip);
      }
    });
    b.unlock('mmu_lock', 'write', 'KVM_MMU_UNLOCK(kvm);');
    b.label(b.uniq('flush_after_unlock'));
    b.flushTlbs(
      'kvm_flush_remote_tlbs_memslot(kvm, memslot);  /* after unlock: only W was cleared */',
    );
    b.harvestCopy(
      'mask',
      'copy_to_user(log->dirty_bitmap, ...);  /* userspace sends these pages */',
      'The migration destination now has the current contents of every reported gfn.',
    );
  });
}
