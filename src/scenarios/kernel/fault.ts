import type { ProgramBuilder } from '../../engine';
import type { Expr } from '../../engine';
import type { KernelVersion } from '../../engine';
import { FILES } from './refs';
import { fastPageFault } from './fastFault';
import { slowPageFault } from './slowFault';

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

/** Expression: the dirty-bitmap bit of a gfn. */
export const bitOf = (g: Expr): Expr => ['fn', 'bit', g];
