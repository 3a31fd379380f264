import type { ProgramBuilder } from '../../engine';
import type { Expr } from '../../engine';
import { SPTE, type KernelVersion } from '../../engine';
import { clearTrackBits, zapOf } from './zap';
import { FILES, atomicUpdateTest } from './refs';

/** Which fast page fault the vCPU runs before falling back to the slow path. */
export type FastPath =
  /** No fast path: indirect shadow pages go straight to FNAME(page_fault), as in every kernel. */
  | 'none'
  /** 6.12 fast_page_fault on a direct SP: the gfn is fixed by the SPTE's position. */
  | 'direct'
  /** Hypothetical fast path on an indirect SP, gfn taken from the SP when the SPTE is read. */
  | 'indirect'
  /** The same, pinning the pfn (gfn_to_pfn_memslot_atomic) before the cmpxchg. */
  | 'indirect-pinned'
  /**
   * The same, with the shadow MMU's real lockless walk: interrupts off and
   * vcpu->mode = READING_SHADOW_PAGE_TABLES, which holds off TLB-flush IPIs.
   */
  | 'indirect-irqoff';

export interface FaultOptions {
  slot: number;
  write: boolean;
  fast: FastPath;
  /** Indirect SP: the slow path walks guest PTE `gpte`; direct: the gfn is `gfn`. */
  gpte?: number;
  gfn?: number;
  /** The vCPU whose mode the lockless walk sets (indirect-irqoff). */
  vcpu?: number;
  /** Leave out is_page_fault_stale (the mmu_invalidate_seq re-check): a bug, for H1. */
  noStaleCheck?: boolean;
  /** The kernel whose code runs; 6.12 when absent. */
  kernel?: KernelVersion;
  /**
   * EPT without A/D bits: the fast path also restores access-tracked SPTEs
   * (FP2f) and handles read faults on them.
   */
  accessTrack?: boolean;
  /**
   * The TDP MMU's fast path (6.12, 7.2): the lockless walk is an RCU read
   * section and the SPTE comes from kvm_tdp_mmu_fast_pf_get_last_sptep.
   */
  tdp?: boolean;
  /** Hypothetical bug: the fast path writes its new SPTE with a plain store, not cmpxchg. */
  plainStore?: boolean;
  /**
   * The gfn may become a shadowed guest page table: the slow path then cannot
   * make it writable (mmu_try_to_unsync_pages) and the write is emulated.
   */
  mayBeShadowed?: boolean;
}

/**
 * A guest access that, when it faults, runs KVM's page-fault handler and
 * retries the access, until it completes. The retry loop ends because every
 * retry needs another thread to have changed the SPTE or the invalidation
 * state in between (RET_PF_RETRY waits for the invalidation to end).
 */
export function guestAccess(b: ProgramBuilder, o: FaultOptions): void {
  const retry = b.uniq('access');
  const done = b.uniq('done');
  const slow = b.uniq('slow_path');
  b.in('vcpu_enter_guest', FILES.x86, () => {
    b.label(retry);
    b.access(
      o.slot,
      o.write,
      'fault',
      o.write
        ? 'guest: *gva = val;  /* store through the TLB / page walk */'
        : 'guest: val = *gva;',
      'The CPU looks up its TLB; on a miss it walks to the SPTE, sets Accessed (and Dirty on a write) and caches the translation. No permission: VM-exit with a page fault.',
    );
    b.br(['!', 'fault'], done, 'if (no fault) continue in the guest;');
  });
  if (o.fast !== 'none') fastPageFault(b, o, retry, slow);
  b.label(slow);
  slowPageFault(b, o, retry, done);
  b.label(done);
}

function fastPageFault(b: ProgramBuilder, o: FaultOptions, retry: string, slow: string): void {
  const spte = ['spte', o.slot] as const;
  const loop = b.uniq('fp_walk');
  const failed = b.uniq('fp_cas_failed');
  const pinned = o.fast === 'indirect-pinned';
  const irqoff = o.fast === 'indirect-irqoff';
  const unpinSlow = b.uniq('fp_unpin');
  const unpin = o.kernel === '7.2' ? 'kvm_release_page_clean(page)' : 'kvm_release_pfn_clean(pfn)';
  // With interrupts off, every way out of the walk must end it first.
  const outSlow = irqoff ? b.uniq('fp_end_slow') : slow;
  const outRetry = irqoff ? b.uniq('fp_end_retry') : retry;
  b.in('fast_page_fault', FILES.mmu, () => {
    if (irqoff)
      b.in('walk_shadow_page_lockless_begin', FILES.mmu, () =>
        b.store(
          ['vcpu_mode', o.vcpu ?? 0],
          2,
          'local_irq_disable(); smp_store_mb(vcpu->mode, READING_SHADOW_PAGE_TABLES);',
          'The shadow MMU walks with interrupts off: a TLB-flush IPI sent now waits until the walk ends, so kvm_flush_remote_tlbs() cannot return, and reclaim cannot free the page, while this vCPU sits between its read and its cmpxchg.',
        ),
      );
    b.set(
      'retry_count',
      0,
      irqoff
        ? 'retry_count = 0;'
        : o.tdp
          ? 'walk_shadow_page_lockless_begin(vcpu);  /* TDP MMU: rcu_read_lock() */'
          : 'walk_shadow_page_lockless_begin(vcpu); retry_count = 0;',
      o.fast === 'direct'
        ? 'Lockless walk: no mmu_lock. The fast path only changes an SPTE by cmpxchg.'
        : irqoff
          ? 'Hypothetical fast path on an indirect shadow page, inside the interrupts-off walk.'
          : 'Hypothetical fast path on an indirect shadow page, with an RCU-style lockless walk that does not hold off the TLB-flush IPI (so reclaim is not delayed by this vCPU).',
    );
    b.label(loop);
    b.load(
      'old',
      spte,
      o.tdp
        ? 'sptep = kvm_tdp_mmu_fast_pf_get_last_sptep(vcpu, fault->gfn, &spte); old_spte = spte;  /* READ_ONCE, under RCU */'
        : 'old_spte = mmu_spte_get_lockless(sptep);',
      'FP2a: the value the cmpxchg will compare against. Nothing stops other CPUs from changing the SPTE after this read.',
    );
    if (o.fast === 'direct')
      b.set(
        'gfn',
        o.gfn ?? 0,
        "gfn = fault->gfn;  /* fixed by the SPTE's position in a direct SP */",
      );
    else
      b.load(
        'gfn',
        ['spgfn', o.slot],
        'gfn = kvm_mmu_page_get_gfn(sp, index);  /* hypothetical: indirect SP */',
        'For an indirect SP the gfn of this SPTE comes from the guest PTE, which the guest can change at any time. It is read now and used after the cmpxchg.',
      );
    b.br(
      ['!', ['fn', 'is_shadow_present_pte', 'old']],
      outSlow,
      'if (!is_shadow_present_pte(old_spte)) break;  /* slow path */',
    );
    if (o.accessTrack) accessTrackFix(b, o, outRetry, outSlow);
    else {
      b.br(
        ['fn', 'is_access_allowed_write', 'old'],
        outRetry,
        'if (is_access_allowed(fault, old_spte)) return RET_PF_SPURIOUS;',
        'Another CPU already made the SPTE writable: just retry the access.',
      );
      b.br(
        ['!', ['fn', 'is_mmu_writable_spte', 'old']],
        outSlow,
        'if (!is_mmu_writable_spte(old_spte)) break;  /* write-protected by KVM itself */',
      );
      b.set('new', ['|', 'old', SPTE.W], 'new_spte = old_spte | PT_WRITABLE_MASK;');
    }
    if (pinned) {
      // The pin call of each version: 6.13 removed the atomic gfn→pfn lookups,
      // so 7.2 pins with __gfn_to_page, which may sleep (this fast path is hypothetical anyway).
      const pins: Record<KernelVersion, readonly [string, string]> = {
        '6.8': ['kvm_vcpu_gfn_to_pfn_atomic', 'pfn = kvm_vcpu_gfn_to_pfn_atomic(vcpu, gfn);'],
        '6.12': ['gfn_to_pfn_memslot_atomic', 'pfn = gfn_to_pfn_memslot_atomic(fault->slot, gfn);'],
        '7.2': [
          '__gfn_to_page',
          'page = __gfn_to_page(vcpu->kvm, gfn, true); pfn = page_to_pfn(page);',
        ],
      };
      const pin = pins[o.kernel ?? '6.12'];
      b.in(pin[0], FILES.kvmMain, () => {
        b.gup(
          'gfn',
          'pin',
          true,
          `${pin[1]}  /* pin: takes a page reference */`,
          'The fix locking.rst proposes: hold a reference so the pfn cannot be freed and reused for another gfn.',
        );
      });
      b.br(
        ['!=', 'pin', ['fn', 'spte_to_pfn', 'old']],
        unpinSlow,
        'if (pfn != spte_to_pfn(old_spte)) goto unpin_slow;',
        'The pinned pfn must be the one the SPTE maps; otherwise gfn and SPTE already disagree (this check is an inference; the document only says to pin).',
      );
    }
    b.label(b.uniq('cas'));
    if (o.plainStore) {
      b.store(
        spte,
        'new',
        '*sptep = new_spte;  /* hypothetical: a plain store instead of try_cmpxchg64 */',
        'Not a read-modify-write: whatever another CPU wrote since old_spte was read is overwritten.',
      );
      b.set('ok', 1, 'ret = RET_PF_FIXED;');
    } else
      b.cas(
        spte,
        'old',
        'new',
        'ok',
        'if (!try_cmpxchg64(sptep, &old_spte, new_spte)) goto retry;',
        'FP2i (fast_pf_fix_direct_spte): compares the whole 64-bit value. An SPTE with identical bits cannot be told apart from the one read earlier.',
      );
    b.br(['!', 'ok'], failed, 'if (cmpxchg failed) retry;');
    if (o.accessTrack)
      b.br(
        ['!', ['&&', ['fn', 'is_writable_pte', 'new'], ['!', ['fn', 'is_writable_pte', 'old']]]],
        outRetry,
        'if (!(is_writable_pte(new_spte) && !is_writable_pte(old_spte))) return RET_PF_FIXED;',
        'Only a fix that made the SPTE writable marks the gfn dirty; restoring R/X does not.',
      );
    b.markDirty(
      'gfn',
      'mark_page_dirty_in_slot(vcpu->kvm, fault->slot, gfn);',
      'The gfn marked is the one computed before the cmpxchg.',
    );
    if (pinned) b.putPage('pin', `${unpin};  /* unpin */`);
    b.jmp(outRetry, 'walk_shadow_page_lockless_end(vcpu); return RET_PF_FIXED;');
    b.label(failed);
    if (pinned) b.putPage('pin', `${unpin};  /* unpin */`);
    b.set('retry_count', ['+', 'retry_count', 1], '++retry_count;');
    b.br(['<=', 'retry_count', 4], loop, 'if (retry_count <= 4) goto retry_walk;');
    b.jmp(outSlow, 'break;  /* too many retries: slow path */');
    if (pinned) {
      b.label(unpinSlow);
      b.putPage('pin', `${unpin}; break;  /* slow path */`);
    }
    if (irqoff)
      b.in('walk_shadow_page_lockless_end', FILES.mmu, () => {
        const end = (label: string, to: string, why: string) => {
          b.label(label);
          b.store(
            ['vcpu_mode', o.vcpu ?? 0],
            0,
            `smp_store_release(&vcpu->mode, OUTSIDE_GUEST_MODE); local_irq_enable();  /* ${why} */`,
          );
          b.jmp(to, why === 'slow path' ? 'goto slow_path;' : 'return;  /* the guest retries */');
        };
        end(outSlow, slow, 'slow path');
        end(outRetry, retry, 'retry');
      });
  });
}

/**
 * The slow path under mmu_lock: FNAME(page_fault) for an indirect SP
 * (guest walk, then FNAME(fetch) re-checks the guest PTE under the lock) or
 * direct_page_fault. Both snapshot mmu_invalidate_seq before GUP and re-check
 * it under the lock (is_page_fault_stale).
 */
function slowPageFault(b: ProgramBuilder, o: FaultOptions, retry: string, done: string): void {
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

/** Expression: the dirty-bitmap bit of a gfn. */
export const bitOf = (g: Expr): Expr => ['fn', 'bit', g];

/**
 * FP2d-FP2h with access tracking (EPT without A/D): restore R/X of an
 * access-tracked SPTE and, on a write fault, set W when MMU-writable.
 * Leaves `new`; jumps out when the fault is spurious or needs the slow path.
 */
function accessTrackFix(b: ProgramBuilder, o: FaultOptions, spurious: string, slow: string): void {
  const allowed = o.write ? 'is_access_allowed_write' : 'is_access_allowed_read';
  const notTracked = b.uniq('fp_not_tracked');
  const checked = b.uniq('fp_checked');
  b.br(
    ['fn', allowed, 'old'],
    spurious,
    'if (is_access_allowed(fault, old_spte)) { ret = RET_PF_SPURIOUS; break; }',
    'Another vCPU already fixed the SPTE (or a stale TLB entry faulted): nothing to do.',
  );
  b.set('new', 'old', 'new_spte = old_spte;');
  b.br(
    ['!', ['fn', 'is_access_track_spte', 'new']],
    notTracked,
    'if (!is_access_track_spte(new_spte)) goto wp;  /* !kvm_ad_enabled(): maybe access-tracked */',
  );
  b.set(
    'new',
    ['fn', 'restore_acc_track_spte', 'new'],
    o.kernel === '7.2'
      ? 'new_spte = restore_acc_track_spte(new_spte) | shadow_accessed_mask;'
      : 'new_spte = restore_acc_track_spte(new_spte);',
    'FP2f: R and X come back from the saved bits; W is never saved, so it stays 0.',
  );
  b.label(notTracked);
  if (o.write) {
    b.br(
      ['!', ['fn', 'is_mmu_writable_spte', 'new']],
      checked,
      'wp: if (!(fault->write && is_mmu_writable_spte(new_spte))) goto check;',
    );
    b.set(
      'new',
      ['|', 'new', SPTE.W],
      'new_spte |= PT_WRITABLE_MASK;',
      'FP2g: write-protected only for dirty logging or access tracking: the fast path may set W.',
    );
  }
  b.label(checked);
  b.br(
    ['||', ['==', 'new', 'old'], ['!', ['fn', allowed, 'new']]],
    slow,
    'if (new_spte == old_spte || !is_access_allowed(fault, new_spte)) break;  /* slow path */',
  );
}
