import type { ProgramBuilder } from '../../engine';
import { SPTE, type KernelVersion } from '../../engine';
import { FILES } from './refs';
import type { FaultOptions } from './fault';

/**
 * The fast page fault (fast_page_fault and its TDP MMU form): the lockless
 * walk, the access-tracking fix-up and the cmpxchg, split from fault.ts.
 */
export function fastPageFault(
  b: ProgramBuilder,
  o: FaultOptions,
  retry: string,
  slow: string,
): void {
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
