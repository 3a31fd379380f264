import type { ProgramBuilder } from '../../engine';
import type { Expr } from '../../engine';
import { NONPRESENT, type KernelVersion } from '../../engine';
import { FILES, NONPRESENT_TEXT, atomicUpdateTest } from './refs';

export type ZapFlavour =
  /** 6.12: a plain store only when the old value has no volatile bits, else xchg. */
  | 'v6.12'
  /** 6.8: the same code, storing 0ull (SHADOW_NONPRESENT_VALUE arrived in 6.10). */
  | 'v6.8'
  /** 7.2: spte_needs_atomic_update decides; A/D are no longer moved to the folio here. */
  | 'v7.2'
  /** The original (around v3.5): plain store whenever Accessed=1 and (W=0 or Dirty=1). */
  | 'original';

/** The zap of a kernel version's own code. */
export const zapOf = (k: KernelVersion): ZapFlavour => (k === '6.8' ? 'v6.8' : `v${k}`);

/**
 * The non-present value a zap stores: 0ull in the original code and up to
 * 6.9; SHADOW_NONPRESENT_VALUE (which sets the suppress-#VE bit under TDX
 * support) since 6.10. The model's value is the same either way.
 */
export const nonpresentText = (f: ZapFlavour): string =>
  f === 'v6.12' || f === 'v7.2' ? NONPRESENT_TEXT : '0ull';

/**
 * `mmu_spte_clear_track_bits` (CT1..CT6 of the model): zap a leaf SPTE
 * under mmu_lock held for write and move its Accessed/Dirty state to the
 * page. Registers: `ct_old`. The caller holds mmu_lock for write.
 */
export function clearTrackBits(b: ProgramBuilder, slot: Expr, flavour: ZapFlavour): void {
  const spte = ['spte', slot] as const;
  const atomic = b.uniq('ct_xchg');
  const after = b.uniq('ct_after');
  b.in('mmu_spte_clear_track_bits', FILES.mmu, () => {
    b.load(
      'ct_old',
      spte,
      'old_spte = *sptep;',
      'CT1: read the SPTE once; the decision below is made on this value.',
    );
    if (flavour === 'original') {
      b.br(
        ['fn', 'spte_volatile_original', 'ct_old'],
        atomic,
        'if (!(old_spte.Accessed == 1 && (old_spte.W == 0 || old_spte.Dirty == 1)))  /* volatile: use xchg */',
        'CT2 (original code): Accessed=1 and W=0 looks safe, "since the Accessed bit and Dirty bit can not be lost". The fast page fault breaks that: it may set W without mmu_lock.',
      );
    } else {
      const test = atomicUpdateTest(flavour === 'v7.2' ? '7.2' : '6.12');
      b.br(
        ['&&', ['fn', 'is_shadow_present_pte', 'ct_old'], ['fn', test, 'ct_old']],
        atomic,
        `if (is_shadow_present_pte(old_spte) && ${test}(old_spte))  /* use xchg */`,
        flavour === 'v7.2'
          ? 'CT2 (7.2): !W && MMU-writable, A/D disabled, or W && !Dirty need an atomic update; a lost Accessed bit is tolerated.'
          : 'CT2 (6.8, 6.12): !W && MMU-writable counts as volatile, because the fast path may set W at any time.',
      );
    }
    b.label(b.uniq('ct_store'));
    b.store(
      spte,
      NONPRESENT,
      `__update_clear_spte_fast(sptep, ${nonpresentText(flavour)});  /* plain store */`,
      'CT3: a plain 64-bit store. It is not a read-modify-write: anything written since old_spte was read is overwritten.',
    );
    b.jmp(after, 'goto propagate;');
    b.label(atomic);
    b.xchg(
      spte,
      NONPRESENT,
      'ct_old',
      `old_spte = __update_clear_spte_slow(sptep, ${nonpresentText(flavour)});  /* xchg */`,
      'CT3 (atomic): xchg returns the value really replaced, including a W or Dirty set a moment ago.',
    );
    b.label(after);
    if (flavour === 'v7.2') {
      b.nop(
        'kvm_update_page_stats(kvm, level, -1);  /* 7.2: no kvm_set_pfn_accessed/dirty here */',
        {
          note: 'In 7.2 the folio was marked dirty at fault time (kvm_release_faultin_page), so a zap has nothing to move to the page.',
        },
      );
      return;
    }
    b.rmw(
      ['page_accessed', ['fn', 'spte_to_pfn', 'ct_old']],
      '|',
      ['fn', 'is_accessed_spte', 'ct_old'],
      undefined,
      'if (is_accessed_spte(old_spte)) kvm_set_pfn_accessed(spte_to_pfn(old_spte));',
    );
    b.rmw(
      ['page_dirty', ['fn', 'spte_to_pfn', 'ct_old']],
      '|',
      ['fn', 'is_dirty_spte', 'ct_old'],
      undefined,
      'if (is_dirty_spte(old_spte)) kvm_set_pfn_dirty(spte_to_pfn(old_spte));',
      'CT6: the page learns it is dirty only from old_spte. If old_spte is stale, a Dirty bit set since is lost.',
    );
  });
}
