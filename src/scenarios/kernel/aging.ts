import type { KernelVersion, ProgramBuilder } from '../../engine';
import { FILES } from './refs';

const TDP_MMU = 'arch/x86/kvm/mmu/tdp_mmu.c';

/**
 * `kvm_mmu_notifier_clear_flush_young` for one gfn mapped by the TDP MMU
 * with EPT A/D bits off (AG1..AG5 of the model): the SPTE is marked for
 * access tracking, so the next access faults and the fast path restores it.
 *
 * 6.8 and 6.12 hold mmu_lock for write, capture dirtiness from the W bit
 * read *before* the conversion, and write the new value with xchg when the
 * old one is volatile, ignoring what the xchg returns (H4). 7.2 ages
 * locklessly and converts with cmpxchg64: if the SPTE changed, it "stays
 * young"; dirtiness is no longer captured here at all.
 * Registers: `ag_old`, `ag_new`, `ag_ok`.
 */
export function clearFlushYoung(b: ProgramBuilder, slot: number, kernel: KernelVersion): void {
  const spte = ['spte', slot] as const;
  const lockless = kernel === '7.2';
  const done = b.uniq('ag_done');
  const flush = b.uniq('ag_flush');
  b.in('kvm_mmu_notifier_clear_flush_young', FILES.kvmMain, () => {
    if (lockless) b.nop('rcu_read_lock();  /* CONFIG_KVM_MMU_LOCKLESS_AGING: no mmu_lock */');
    else b.lock('mmu_lock', 'write', 'KVM_MMU_LOCK(kvm);  /* write_lock(&kvm->mmu_lock) */');
    b.in(lockless ? 'kvm_tdp_mmu_age_gfn_range' : 'age_gfn_range', TDP_MMU, () => {
      b.load(
        'ag_old',
        spte,
        'iter.old_spte = READ_ONCE(*iter.sptep);  /* tdp_root_for_each_leaf_pte */',
        'AG3a: the conversion below is computed from this read. The fast path needs no mmu_lock and may change the SPTE right after it.',
      );
      b.br(
        ['!', ['fn', 'is_accessed_spte', 'ag_old']],
        done,
        'if (!is_accessed_spte(iter.old_spte)) continue;',
      );
      if (!lockless) {
        const clean = b.uniq('ag_clean');
        b.br(
          ['!', ['fn', 'is_writable_pte', 'ag_old']],
          clean,
          'if (!is_writable_pte(iter.old_spte)) goto mark;  /* else kvm_set_pfn_dirty() */',
          'AG3c: W is about to be dropped, so dirtiness is captured now, from the value just read.',
        );
        b.rmw(
          ['page_dirty', ['fn', 'spte_to_pfn', 'ag_old']],
          '|',
          1,
          undefined,
          'kvm_set_pfn_dirty(spte_to_pfn(iter.old_spte));',
        );
        b.label(clean);
      }
      b.set(
        'ag_new',
        ['fn', 'mark_spte_for_access_track', 'ag_old'],
        'new_spte = mark_spte_for_access_track(iter.old_spte);',
        'R and X go to the save area; W is dropped and never saved.',
      );
      if (lockless) {
        b.label(b.uniq('ag_cmpxchg'));
        b.cas(
          spte,
          'ag_old',
          'ag_new',
          'ag_ok',
          'if (!try_cmpxchg64(iter.sptep, &iter.old_spte, new_spte)) continue;  /* stays young */',
          '7.2: lockless aging converts with cmpxchg64. If the fast path changed the SPTE since the read, the conversion fails and the SPTE simply stays young.',
        );
        b.br(['!', 'ag_ok'], done, 'if (cmpxchg failed) continue;  /* young */');
      } else {
        const plain = b.uniq('ag_plain');
        b.label(b.uniq('ag_write'));
        b.in('kvm_tdp_mmu_write_spte', 'arch/x86/kvm/mmu/tdp_iter.h', () => {
          b.br(
            ['!', ['fn', 'spte_has_volatile_bits', 'ag_old']],
            plain,
            'if (!kvm_tdp_mmu_spte_need_atomic_write(iter.old_spte, level)) goto plain;',
          );
          b.xchg(
            spte,
            'ag_new',
            undefined,
            'kvm_tdp_mmu_write_spte_atomic(sptep, new_spte);  /* xchg; the old value it returns is not looked at */',
            'The xchg does return the value really replaced (with a W=1 set by the fast path since the read), but aging decided about dirtiness before and never looks again.',
          );
          b.jmp(flush, 'return;');
          b.label(plain);
          b.store(spte, 'ag_new', '__kvm_tdp_mmu_write_spte(sptep, new_spte);  /* WRITE_ONCE */');
        });
      }
      b.label(flush);
      b.nop('young = true;');
    });
    // 6.8/6.12 flush the whole VM when any SPTE was young (flush_on_ret);
    // 7.2 x86 selects KVM_ELIDE_TLB_FLUSH_IF_YOUNG, so clear_flush_young
    // passes flush_on_ret = false and a vCPU keeps its cached translation.
    if (lockless)
      b.nop(
        'if (range->flush_on_ret && r.ret) ...  /* false: KVM_ELIDE_TLB_FLUSH_IF_YOUNG, no flush */',
        {
          note: '7.2 on x86 does not flush after aging: a vCPU may keep using its cached translation until something else flushes. Harmless for dirty tracking here, because 7.2 dirtied the folio at fault time.',
        },
      );
    else
      b.in('__kvm_handle_hva_range', FILES.kvmMain, () =>
        b.flushTlbs(
          'if (range->flush_on_ret && r.ret) kvm_flush_remote_tlbs(kvm);  /* the whole VM */',
        ),
      );
    b.label(done);
    if (!lockless) b.unlock('mmu_lock', 'write', 'KVM_MMU_UNLOCK(kvm);');
    else b.nop('rcu_read_unlock();');
  });
}
