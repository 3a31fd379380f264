import type { ProgramBuilder } from '../../engine';
import type { Expr } from '../../engine';
import { SPTE, type KernelVersion } from '../../engine';
import { clearTrackBits, zapOf } from './zap';
import { FILES, atomicUpdateTest } from './refs';
import type { FaultOptions } from './fault';

/**
 * The slow path under mmu_lock: FNAME(page_fault) for an indirect SP
 * (guest walk, then FNAME(fetch) re-checks the guest PTE under the lock) or
 * direct_page_fault. Both snapshot mmu_invalidate_seq before GUP and re-check
 * it under the lock (is_page_fault_stale).
 */
export function slowPageFault(
  b: ProgramBuilder,
  o: FaultOptions,
  retry: string,
  done: string,
): void {
  const indirect = o.gpte !== undefined;
  const spte = ['spte', o.slot] as const;
  const stale = b.uniq('sl_stale');
  const install = b.uniq('sl_install');
  const update = b.uniq('sl_update');
  const unlock = b.uniq('sl_unlock');
  const kernel = o.kernel ?? '6.12';
  const k72 = kernel === '7.2';
  const fn = indirect ? 'FNAME(page_fault)' : 'direct_page_fault';
  const file = indirect ? FILES.pagingTmpl : FILES.mmu;
  b.in(fn, file, () => {
    if (indirect)
      b.in('FNAME(walk_addr)', FILES.pagingTmpl, () =>
        b.load(
          'sgfn',
          ['gpte', o.gpte ?? 0],
          'gfn = gpte_to_gfn(gpte);  /* guest page-table walk, no lock */',
        ),
      );
    else b.set('sgfn', o.gfn ?? 0, 'gfn = fault->gfn;');
    faultinPfn(b, k72);
    b.label(b.uniq('sl_lock'));
    b.lock('mmu_lock', 'write', 'write_lock(&vcpu->kvm->mmu_lock);');
    if (!o.noStaleCheck)
      b.in('is_page_fault_stale', FILES.mmu, () =>
        b.br(
          [
            '||',
            [
              '&&',
              ['ld', ['mmu_invalidate_in_progress']],
              ['&', ['ld', ['mmu_invalidate_range']], ['fn', 'bit', 'sgfn']],
            ],
            ['!=', ['ld', ['mmu_invalidate_seq']], 'mmu_seq'],
          ],
          stale,
          'if (mmu_invalidate_retry_gfn(kvm, fault->mmu_seq, fault->gfn)) goto out_unlock;  /* RET_PF_RETRY */',
          'Exact under mmu_lock: an invalidation in progress for this gfn, or one that ended since the snapshot, means the pfn may be stale.',
        ),
      );
    if (indirect)
      b.in('FNAME(fetch)', FILES.pagingTmpl, () =>
        b.br(
          ['!=', ['ld', ['gpte', o.gpte ?? 0]], 'sgfn'],
          stale,
          'if (FNAME(gpte_changed)(vcpu, gw, level)) goto out_gpte_changed;',
          'The guest PTE is re-read under the lock: a guest that changed it since the walk gets a retry, never a mapping of the old gfn.',
        ),
      );
    b.in('mmu_set_spte', FILES.mmu, () => {
      b.load('sold', spte, 'old = *sptep;');
      b.br(
        ['!', ['fn', 'is_shadow_present_pte', 'sold']],
        install,
        'if (!is_shadow_present_pte(*sptep)) goto install;',
      );
      b.br(
        ['==', ['fn', 'spte_to_pfn', 'sold'], 'pfn'],
        update,
        'if (pfn == spte_to_pfn(*sptep)) goto update;',
      );
      b.in('drop_spte', FILES.mmu, () => clearTrackBits(b, o.slot, zapOf(kernel)));
      b.flushTlbs('kvm_flush_remote_tlbs_gfn(kvm, gfn, level);  /* old pfn dropped */');
      b.label(install);
      makeSpte(b, o);
      b.store(spte, 'snew', 'mmu_spte_set(sptep, new_spte);  /* was not present */');
      b.jmp(unlock, 'rmap_add(vcpu, slot, sptep, gfn, pte_access);');
      b.label(update);
      makeSpte(b, o);
      samePfnUpdate(b, o.slot, kernel, unlock);
    });
    b.label(unlock);
    if (indirect)
      b.store(
        ['spgfn', o.slot],
        'sgfn',
        'sp->shadowed_translation[index] = gfn;  /* kvm_mmu_page_set_translation */',
      );
    if (k72) {
      // 7.2 releases the page (and dirties the folio) before dropping mmu_lock.
      b.in('kvm_release_faultin_page', FILES.kvmHost, () => {
        b.store(
          ['page_dirty', 'pfn'],
          1,
          'kvm_release_faultin_page(kvm, fault->refcounted_page, r == RET_PF_RETRY, fault->map_writable);  /* folio_mark_dirty */',
          '7.2: the folio is marked dirty at fault time whenever the pfn was obtained writable, before mmu_lock is dropped. Speculative: the SPTE may be made writable later by the fast path, which runs outside mmu_lock and so cannot dirty folios.',
        );
        b.putPage('pfn', 'kvm_release_page_dirty(page);  /* put_page */');
      });
      b.unlock('mmu_lock', 'write', 'write_unlock(&vcpu->kvm->mmu_lock);');
    } else {
      b.unlock('mmu_lock', 'write', 'write_unlock(&vcpu->kvm->mmu_lock);');
      b.putPage('pfn', 'kvm_release_pfn_clean(fault->pfn);');
    }
    if (o.mayBeShadowed)
      b.br(
        'wrprot',
        done,
        'if (r == RET_PF_WRITE_PROTECTED) return kvm_mmu_write_protect_fault(...);  /* emulate: x86_emulate_instruction → kvm_mmu_track_write */',
        'The write-tracked gfn got a read-only SPTE; the write is emulated, so KVM sees it.',
      );
    b.jmp(retry, 'return RET_PF_FIXED;  /* the guest retries the access */');
    b.label(stale);
    if (k72) {
      b.in('kvm_release_faultin_page', FILES.kvmHost, () =>
        b.putPage(
          'pfn',
          'out_unlock: kvm_release_faultin_page(kvm, page, true, ...);  /* unused */',
        ),
      );
      b.unlock('mmu_lock', 'write', 'write_unlock(&vcpu->kvm->mmu_lock);');
    } else {
      b.unlock('mmu_lock', 'write', 'out_unlock: write_unlock(&vcpu->kvm->mmu_lock);');
      b.putPage('pfn', 'kvm_release_pfn_clean(fault->pfn);');
    }
    b.await(
      ['==', ['ld', ['mmu_invalidate_in_progress']], 0],
      'no invalidation is in progress',
      'return RET_PF_RETRY;  /* re-enter the guest, fault again */',
      'The vCPU would spin re-faulting while an invalidation is in progress; modelled as waiting for it to end, so a retry is never a step that changes nothing.',
    );
    b.jmp(retry, 'goto retry;');
  });
}

/**
 * Snapshot mmu_invalidate_seq, then GUP. 6.8/6.12: kvm_faultin_pfn →
 * __kvm_faultin_pfn → __gfn_to_pfn_memslot; 7.2: kvm_mmu_faultin_pfn →
 * __kvm_mmu_faultin_pfn → __kvm_faultin_pfn (kvm_main.c).
 */
function faultinPfn(b: ProgramBuilder, k72: boolean): void {
  b.in(k72 ? 'kvm_mmu_faultin_pfn' : 'kvm_faultin_pfn', FILES.mmu, () => {
    b.load(
      'mmu_seq',
      ['mmu_invalidate_seq'],
      'fault->mmu_seq = vcpu->kvm->mmu_invalidate_seq; smp_rmb();',
      'Snapshot the invalidation sequence before GUP: a swap-out that races with the lookup will show up as a changed sequence.',
    );
    b.in(k72 ? '__kvm_mmu_faultin_pfn' : '__kvm_faultin_pfn', FILES.mmu, () =>
      b.gup(
        'sgfn',
        'pfn',
        false,
        k72
          ? 'fault->pfn = __kvm_faultin_pfn(fault->slot, fault->gfn, foll, &fault->map_writable, &fault->refcounted_page);'
          : 'fault->pfn = __gfn_to_pfn_memslot(fault->slot, fault->gfn, false, true, &async, fault->write, &fault->map_writable, &fault->hva);',
        'GUP takes a page reference and faults the page in if it is not resident; it may sleep, so it runs before mmu_lock.',
      ),
    );
  });
}

/**
 * make_spte for the slow path: a writable SPTE, and the gfn marked dirty
 * when logging is on. With `mayBeShadowed`, mmu_try_to_unsync_pages refuses
 * a write-tracked gfn (a shadowed non-leaf guest page table), and the SPTE is
 * still made, read-only (W and MMU-writable cleared): register `wrprot`.
 */
function makeSpte(b: ProgramBuilder, o: FaultOptions): void {
  b.in('make_spte', FILES.spteC, () => {
    b.set(
      'snew',
      ['fn', 'make_spte', 'pfn', 1, 1, o.accessTrack ? 1 : 0],
      'new_spte = make_spte(vcpu, sp, slot, ACC_ALL, gfn, pfn, ...);  /* W, MMU-writable, A, D preset */',
    );
    const logged = b.uniq('ms_log');
    if (o.mayBeShadowed) {
      b.in('mmu_try_to_unsync_pages', FILES.mmu, () =>
        b.br(
          ['!', ['ld', ['ghost_shadowed', o.slot]]],
          logged,
          'if (kvm_gfn_is_write_tracked(kvm, slot, gfn)) return -EPERM;  /* else unsync 4K SPs: stays writable */',
          "G is shadowed as a non-leaf guest page table, which account_shadowed write-tracks; a 4K-level shadow page would instead be marked unsync and G mapped writable (not modelled: this scenario's G is a non-leaf table).",
        ),
      );
      b.set(
        'snew',
        ['&', 'snew', ~(SPTE.W | SPTE.MMU_WRITABLE | SPTE.D)],
        'wrprot = true; spte &= ~(shadow_mmu_writable_mask | PT_WRITABLE_MASK);',
        'Refused: a read-only SPTE is still installed, and the fault returns RET_PF_WRITE_PROTECTED.',
      );
      b.set('wrprot', 1, 'if (wrprot && fault->write) ret = RET_PF_WRITE_PROTECTED;');
    }
    b.label(logged);
    b.markDirty(
      'sgfn',
      'if (is_writable_pte(new_spte) && kvm_slot_dirty_track_enabled(slot)) mark_page_dirty_in_slot(kvm, slot, gfn);',
    );
  });
}

/**
 * mmu_set_spte on a present SPTE of the same pfn: `flush |= mmu_spte_update(sptep, spte)`.
 * 6.8/6.12: the update (xchg when volatile) returns the old value, a flush is
 * due when the old SPTE was MMU-writable and the new one is not writable, or
 * A/D were cleared, and cleared A/D move to the page. 7.2: the `_no_track`
 * half was folded in (6.13), the flush is leaf_spte_change_needs_tlb_flush,
 * and nothing moves to the folio (it was dirtied at fault time).
 */
function samePfnUpdate(b: ProgramBuilder, slot: number, k: KernelVersion, out: string): void {
  const spte = ['spte', slot] as const;
  const plain = b.uniq('su_plain');
  const tracked = b.uniq('su_tracked');
  const atomic = atomicUpdateTest(k);
  const k72 = k === '7.2';
  const lost = (f: 'is_accessed_spte' | 'is_dirty_spte'): Expr => [
    '&&',
    ['fn', f, 'sold'],
    ['!', ['fn', f, 'snew']],
  ];
  b.in('mmu_spte_update', FILES.mmu, () => {
    b.load(
      'sold',
      spte,
      k72 ? 'u64 old_spte = *sptep;' : 'old_spte = *sptep;  /* mmu_spte_update_no_track */',
    );
    b.br(['!', ['fn', atomic, 'sold']], plain, `if (!${atomic}(old_spte)) goto plain;`);
    b.xchg(
      spte,
      'snew',
      'sold',
      'old_spte = __update_clear_spte_slow(sptep, new_spte);  /* xchg */',
    );
    b.jmp(tracked, 'goto track;');
    b.label(plain);
    b.store(spte, 'snew', '__update_clear_spte_fast(sptep, new_spte);');
    b.label(tracked);
    if (!k72) {
      b.rmw(
        ['page_accessed', ['fn', 'spte_to_pfn', 'sold']],
        '|',
        lost('is_accessed_spte'),
        undefined,
        'if (is_accessed_spte(old_spte) && !is_accessed_spte(new_spte)) kvm_set_pfn_accessed(spte_to_pfn(old_spte));',
      );
      b.rmw(
        ['page_dirty', ['fn', 'spte_to_pfn', 'sold']],
        '|',
        lost('is_dirty_spte'),
        undefined,
        'if (is_dirty_spte(old_spte) && !is_dirty_spte(new_spte)) kvm_set_pfn_dirty(spte_to_pfn(old_spte));',
      );
    }
  });
  const wpFlush: Expr = [
    '&&',
    ['fn', 'is_mmu_writable_spte', 'sold'],
    ['!', ['fn', k72 ? 'is_mmu_writable_spte' : 'is_writable_pte', 'snew']],
  ];
  b.br(
    ['!', k72 ? wpFlush : ['||', wpFlush, ['||', lost('is_accessed_spte'), lost('is_dirty_spte')]]],
    out,
    k72
      ? 'if (!leaf_spte_change_needs_tlb_flush(old_spte, new_spte)) goto done;'
      : 'if (!flush) goto done;  /* MMU-writable → read-only, or A/D cleared */',
  );
  b.flushTlbs('kvm_flush_remote_tlbs_gfn(vcpu->kvm, gfn, level);');
}
