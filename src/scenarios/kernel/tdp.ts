import type { ProgramBuilder } from '../../engine';
import { FROZEN_SPTE, NONPRESENT, type KernelVersion } from '../../engine';
import { FILES } from './refs';

/**
 * The TDP MMU: kvm_tdp_mmu_page_fault under mmu_lock held for read (model
 * reference 2.5, ST*) and the atomic zap with FROZEN_SPTE (H3).
 */
export const TDP_FILES = {
  tdpMmu: 'arch/x86/kvm/mmu/tdp_mmu.c',
  tdpIter: 'arch/x86/kvm/mmu/tdp_iter.h',
} as const;

/** The name of the frozen value: REMOVED_SPTE until it was renamed (6.8), FROZEN_SPTE after. */
export const frozenName = (k: KernelVersion): string =>
  k === '6.8' ? 'REMOVED_SPTE' : 'FROZEN_SPTE';

/** The non-present value the zap writes: 0 in 6.8, SHADOW_NONPRESENT_VALUE (bit 63) since. */
export const nonpresentName = (k: KernelVersion): string =>
  k === '6.8' ? '0' : 'SHADOW_NONPRESENT_VALUE';

const isFrozenFn = (k: KernelVersion): string =>
  k === '6.8' ? 'is_removed_spte' : 'is_frozen_spte';

/** Where the cmpxchg is: split out of tdp_mmu_set_spte_atomic in 6.10. */
const setAtomicFn = (k: KernelVersion): string =>
  k === '6.8' ? 'tdp_mmu_set_spte_atomic' : '__tdp_mmu_set_spte_atomic';

export interface TdpAccessOptions {
  slot: number;
  gfn: number;
  write: boolean;
  /** The resident page of `gfn`, which GUP returns writable. */
  pfn: number;
  kernel: KernelVersion;
  /**
   * Prefix of this access's labels (`<tag>access`, `<tag>install_cas`,
   * `<tag>retry_wait`, ...), so that a plan can stop at the labels of one
   * access when a program makes several.
   */
  tag: string;
}

/**
 * A guest access that, when it faults, runs the TDP MMU page fault and
 * retries the access until it completes. Every retry needs another thread to
 * have changed the SPTE in between: a failed cmpxchg means someone else
 * installed or froze it, and RET_PF_RETRY on a frozen SPTE waits until the
 * zapper replaces it.
 */
export function tdpGuestAccess(b: ProgramBuilder, o: TdpAccessOptions): void {
  const k = o.kernel;
  const spte = ['spte', o.slot] as const;
  const L = (name: string) => b.uniq(`${o.tag}${name}`);
  const retry = L('access');
  const done = L('done');
  const frozen = L('frozen');
  const casFailed = L('cas_failed');
  const fixed = L('fixed');
  const fz = frozenName(k);

  b.in('vcpu_enter_guest', FILES.x86, () => {
    b.label(retry);
    b.access(
      o.slot,
      o.write,
      'fault',
      o.write ? 'guest: *gva = val;  /* store through the TLB / EPT walk */' : 'guest: val = *gva;',
      o.write
        ? 'The CPU looks up its TLB; on a miss (or a first write through a clean entry) it walks to the SPTE and sets Accessed and Dirty. Not present: EPT violation, VM-exit.'
        : 'The CPU looks up its TLB; on a miss it walks to the SPTE, sets Accessed and caches the translation. Not present: EPT violation, VM-exit.',
    );
    b.br(['!', 'fault'], done, 'if (no fault) continue in the guest;');
  });

  b.in('kvm_tdp_mmu_page_fault', FILES.mmu, () => {
    b.nop('r = fast_page_fault(vcpu, fault);  /* RET_PF_INVALID: not fast */', {
      note: `The SPTE was not present (${fz} or zapped), so the error code has no R/W/X bits, and with A/D bits enabled page_fault_can_be_fast() says no: only an access-tracked SPTE could be fixed without mmu_lock. (Its lockless walk would see a value that is not shadow-present and give up too.) Slow path.`,
    });
    b.in('kvm_faultin_pfn', FILES.mmu, () =>
      b.set(
        'pfn',
        o.pfn,
        'fault->pfn = __gfn_to_pfn_memslot(fault->slot, fault->gfn, ..., &fault->map_writable, &fault->hva);',
        `GUP, before mmu_lock because it may sleep. G is resident and writable: pfn${o.pfn}, map_writable. (The page reference it takes is not modelled: nothing in this scenario frees pages.)`,
      ),
    );
    b.lock(
      'mmu_lock',
      'read',
      'r = RET_PF_RETRY; read_lock(&vcpu->kvm->mmu_lock);',
      'The TDP MMU faults with mmu_lock held for read: other faults and the zapper run alongside, so every SPTE change below is a cmpxchg.',
    );
    b.in('kvm_tdp_mmu_map', TDP_FILES.tdpMmu, () => {
      b.in('kvm_tdp_mmu_read_spte', TDP_FILES.tdpIter, () =>
        b.load(
          'iold',
          spte,
          'rcu_read_lock(); tdp_mmu_for_each_pte(iter, mmu, fault->gfn, fault->gfn + 1) { iter.old_spte = READ_ONCE(*iter.sptep);',
          'ST7: the walk reads the leaf SPTE once; the cmpxchg below compares against this value.',
        ),
      );
      b.br(
        ['==', 'iold', FROZEN_SPTE],
        frozen,
        `if (${isFrozenFn(k)}(iter.old_spte)) goto retry;  /* RET_PF_RETRY */`,
        `Another thread is in the middle of an atomic zap: ${fz} may not be overwritten, so give up and let the guest fault again.`,
      );
      b.in('tdp_mmu_map_handle_target_level', TDP_FILES.tdpMmu, () => {
        b.in('make_spte', FILES.spteC, () =>
          b.set(
            'inew',
            ['fn', 'make_spte', 'pfn', 1, 1],
            'wrprot = make_spte(vcpu, sp, fault->slot, ACC_ALL, iter->gfn, fault->pfn, iter->old_spte, false, true, fault->map_writable, &new_spte);',
            'A writable SPTE (the pfn came writable from GUP and dirty logging is off) with Accessed, and Dirty preset because A/D bits are on. A read fault gets the same writable SPTE.',
          ),
        );
        b.br(
          ['==', 'inew', 'iold'],
          fixed,
          'if (new_spte == iter->old_spte) ret = RET_PF_SPURIOUS;',
          'Another vCPU already installed exactly this SPTE.',
        );
        b.label(L('install_cas'));
        b.in(setAtomicFn(k), TDP_FILES.tdpMmu, () =>
          b.op(
            { k: 'cas', loc: spte, expect: 'iold', e: 'inew', ok: 'iok', old: 'iold' },
            'if (!try_cmpxchg64(sptep, &iter->old_spte, new_spte)) return -EBUSY;',
            { note: 'ST8: fails if anyone changed the SPTE since the walk read it.' },
          ),
        );
        b.br(
          ['!', 'iok'],
          casFailed,
          'else if (tdp_mmu_set_spte_atomic(vcpu->kvm, iter, new_spte)) return RET_PF_RETRY;',
          'Another vCPU installed the SPTE first (model reference H2a): nothing to undo, the guest simply retries.',
        );
        b.in('handle_changed_spte', TDP_FILES.tdpMmu, () =>
          b.nop(
            'handle_changed_spte(kvm, iter->as_id, iter->gfn, iter->old_spte, new_spte, iter->level, true);',
            {
              note: 'From non-present to a leaf: page statistics only, no Accessed/Dirty to move.',
            },
          ),
        );
      });
    });
    b.label(fixed);
    finish(b);
    b.jmp(retry, 'return RET_PF_FIXED;  /* the guest retries the access */');

    b.label(frozen);
    finish(b);
    b.label(L('retry_wait'));
    b.await(
      ['!=', ['ld', spte], FROZEN_SPTE],
      `the SPTE is no longer ${fz}`,
      'return RET_PF_RETRY;  /* re-enter the guest, fault again */',
      `The vCPU would re-enter the guest and fault again and again while the SPTE is ${fz}; modelled as waiting until the zapper replaces it, so a retry is never a step that changes nothing.`,
    );
    b.jmp(retry, 'goto retry;  /* the guest retries the access */');

    b.label(casFailed);
    finish(b);
    b.jmp(retry, 'return RET_PF_RETRY;  /* the guest retries the access */');
  });
  b.label(done);
}

/** The end of kvm_tdp_mmu_page_fault: rcu_read_unlock, read_unlock, then the page reference. */
function finish(b: ProgramBuilder): void {
  b.unlock('mmu_lock', 'read', 'rcu_read_unlock(); read_unlock(&vcpu->kvm->mmu_lock);');
  b.nop('kvm_release_pfn_clean(fault->pfn);');
}

export interface ZapOptions {
  slot: number;
  kernel: KernelVersion;
  /** Hypothetical bug: a plain store of the non-present value instead of the frozen cmpxchg. */
  plainStore: boolean;
}

/**
 * kvm_mmu_zap_collapsible_sptes → zap_collapsible_spte_range under
 * mmu_lock held for read, zapping the SPTE with tdp_mmu_zap_spte_atomic
 * (model reference H3). Labels: `zap_cas` (before the cmpxchg to
 * FROZEN_SPTE) and `zap_store` (before the store of the non-present value).
 */
export function zapCollapsible(b: ProgramBuilder, o: ZapOptions): void {
  const k = o.kernel;
  const spte = ['spte', o.slot] as const;
  const out = 'zap_out';
  const frozen = frozenName(k);
  const nonpresent = nonpresentName(k);
  b.in('kvm_mmu_zap_collapsible_sptes', FILES.mmu, () =>
    b.lock(
      'mmu_lock',
      'read',
      'read_lock(&kvm->mmu_lock);  /* tdp_mmu_enabled: kvm_tdp_mmu_zap_collapsible_sptes(kvm, slot) */',
      'Dirty logging was just disabled, so 4K mappings may be replaced by huge pages: the TDP MMU zaps them with mmu_lock held only for read, alongside vCPU faults.',
    ),
  );
  b.in('zap_collapsible_spte_range', TDP_FILES.tdpMmu, () => {
    b.in('kvm_tdp_mmu_read_spte', TDP_FILES.tdpIter, () =>
      b.load(
        'old',
        spte,
        'rcu_read_lock(); for_each_tdp_pte_min_level(iter, root, ...) { iter.old_spte = READ_ONCE(*iter.sptep);',
        "H3 step 1. (The model has one level: G's SPTE stands for the SPTE the zap freezes. zap_collapsible_spte_range never zaps leaves: in 6.8 and 6.12 it freezes the page-table SPTE above G, and handle_removed_pt then freezes each leaf with xchg, as it has since the 6.1 cycle.)",
      ),
    );
    b.label('zap_retry');
    b.br(
      ['!', ['fn', 'is_shadow_present_pte', 'old']],
      out,
      'retry: if (!is_shadow_present_pte(iter.old_spte)) continue;',
    );
    if (o.plainStore) {
      b.label('zap_store');
      b.store(
        spte,
        NONPRESENT,
        `__kvm_tdp_mmu_write_spte(iter->sptep, ${nonpresent});  /* hypothetical: a plain store under the read lock */`,
        'Under mmu_lock held for read every SPTE write must be a cmpxchg: the CPU may set Accessed or Dirty, and other readers may change the SPTE, at any time. A plain store overwrites whatever was written since iter.old_spte was read.',
      );
      b.flushTlbs('kvm_flush_remote_tlbs_gfn(kvm, iter->gfn, iter->level);');
      handleChanged(b, nonpresent);
    } else {
      b.in('tdp_mmu_zap_spte_atomic', TDP_FILES.tdpMmu, () => {
        b.label('zap_cas');
        b.in(setAtomicFn(k), TDP_FILES.tdpMmu, () =>
          b.op(
            { k: 'cas', loc: spte, expect: 'old', e: FROZEN_SPTE, ok: 'ok', old: 'old' },
            `if (!try_cmpxchg64(sptep, &iter->old_spte, ${frozen})) return -EBUSY;`,
            {
              note: `H3 step 2: freeze the SPTE. The compare covers the whole value, so a Dirty bit the CPU set since the read makes it fail; try_cmpxchg64 then leaves the current value in iter.old_spte. No other reader may install a present SPTE over ${frozen} until the TLBs are flushed.`,
            },
          ),
        );
      });
      b.br(
        ['!', 'ok'],
        'zap_retry',
        'if (tdp_mmu_zap_spte_atomic(kvm, &iter)) goto retry;  /* -EBUSY */',
      );
      b.in('tdp_mmu_zap_spte_atomic', TDP_FILES.tdpMmu, () => {
        // 6.8 handled the old value right after the cmpxchg; 6.10 moved it after the flush and store.
        if (k === '6.8') handleChanged(b, frozen);
        b.flushTlbs(
          'kvm_flush_remote_tlbs_gfn(kvm, iter->gfn, iter->level);',
          'H3 step 4: no CPU keeps a translation of the old SPTE.',
        );
        b.label('zap_store');
        b.store(
          spte,
          NONPRESENT,
          `__kvm_tdp_mmu_write_spte(iter->sptep, ${nonpresent});`,
          `H3 step 5: a raw write is fine here: nobody else writes over ${frozen} (readers give up on it, and the write lock cannot be taken while this thread holds the read lock).`,
        );
        if (k !== '6.8') handleChanged(b, nonpresent);
      });
    }
    b.label(out);
    b.nop('}  rcu_read_unlock();');
  });
  b.in('kvm_mmu_zap_collapsible_sptes', FILES.mmu, () =>
    b.unlock('mmu_lock', 'read', 'read_unlock(&kvm->mmu_lock);'),
  );
}

/** handle_changed_spte for a zapped leaf: move Accessed and Dirty from the old value to the page. */
function handleChanged(b: ProgramBuilder, newName: string): void {
  const call = `handle_changed_spte(kvm, iter->as_id, iter->gfn, iter->old_spte, ${newName}, iter->level, true);`;
  b.in('handle_changed_spte', TDP_FILES.tdpMmu, () => {
    b.rmw(
      ['page_dirty', ['fn', 'spte_to_pfn', 'old']],
      '|',
      ['fn', 'is_dirty_spte', 'old'],
      undefined,
      `${call}  /* was_leaf && is_dirty_spte(old_spte): kvm_set_pfn_dirty(spte_to_pfn(old_spte)) */`,
      'H3 step 6: the page learns it is dirty only from iter.old_spte. If that value is stale, a Dirty bit set since is lost.',
    );
    b.rmw(
      ['page_accessed', ['fn', 'spte_to_pfn', 'old']],
      '|',
      ['fn', 'is_accessed_spte', 'old'],
      undefined,
      'if (was_leaf && is_accessed_spte(old_spte)) kvm_set_pfn_accessed(spte_to_pfn(old_spte));',
    );
  });
}
