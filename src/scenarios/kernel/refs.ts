import { SPTE, makeSpte, type KernelVersion, type LockDef, type MachineDef } from '../../engine';

/** Kernel source files the ops point at (paths from the tree root, v6.12). */
export const FILES = {
  mmu: 'arch/x86/kvm/mmu/mmu.c',
  spteC: 'arch/x86/kvm/mmu/spte.c',
  spteH: 'arch/x86/kvm/mmu/spte.h',
  pagingTmpl: 'arch/x86/kvm/mmu/paging_tmpl.h',
  x86: 'arch/x86/kvm/x86.c',
  kvmMain: 'virt/kvm/kvm_main.c',
  kvmHost: 'include/linux/kvm_host.h',
  vmscan: 'mm/vmscan.c',
  rmap: 'mm/rmap.c',
} as const;

/** Register-free SPTE values for initial states, built with the kernel's own helper. */
export const spteValue = {
  /** Present, read-only for dirty logging: Host- and MMU-writable, W=0. */
  writeProtected(pfn: number, a: { accessed: boolean; dirty: boolean }): number {
    const writable = makeSpte({ pfn, hostWritable: true, writable: true });
    let s = writable & ~SPTE.W & ~SPTE.A & ~SPTE.D;
    if (a.accessed) s |= SPTE.A;
    if (a.dirty) s |= SPTE.D;
    return s;
  },
  /**
   * Present and writable, Accessed, Dirty clear: what a harvest that logs by
   * Dirty (PML) leaves, so the next write sets Dirty without a fault.
   */
  cleanWritable(pfn: number): number {
    return makeSpte({ pfn, hostWritable: true, writable: true }) & ~SPTE.D;
  },
};

export const NONPRESENT_TEXT = 'SHADOW_NONPRESENT_VALUE';

/**
 * The machine of a lock-order scenario: no SPTEs or guest memory to speak
 * of (one resident page), only its locks, SRCU domains and shared variables.
 */
export function lockOnlyMachine(
  locks: LockDef[],
  srcu: string[] = [],
  vars: Record<string, number> = {},
): MachineDef {
  return {
    gfnNames: ['gfn0'],
    pfns: 1,
    slots: [],
    indirect: false,
    gptes: [],
    vcpus: 1,
    pages: [{ pfn: 1, gfn: 0 }],
    hostMap: { 0: 1 },
    dirtyLogging: false,
    locks,
    srcu,
    vars,
  };
}

/**
 * The predicate that decides whether an SPTE write must be atomic (xchg):
 * spte_has_volatile_bits up to 6.12, spte_needs_atomic_update in 7.2.
 */
export const atomicUpdateTest = (
  k: KernelVersion,
): 'spte_has_volatile_bits' | 'spte_needs_atomic_update' =>
  k === '7.2' ? 'spte_needs_atomic_update' : 'spte_has_volatile_bits';

/**
 * 7.2 marks the folio dirty at fault time (kvm_release_faultin_page) whenever
 * the pfn was obtained writable; earlier kernels move Dirty from the SPTE at
 * zap or update time. So in 7.2 a page already mapped by a writable-capable
 * SPTE starts dirty.
 */
export const dirtiedAtFault = (k: KernelVersion): boolean => k === '7.2';

/**
 * The machine of a one-page story: gfn G mapped by one direct SPTE to pfn1,
 * mmu_lock, and the page dirty from the start when the kernel dirties at fault time.
 */
export function oneGfnMachine(o: {
  spte: number;
  kernel: KernelVersion;
  vcpus: number;
  dirtyLogging: boolean;
  dirtyBitmap?: number;
}): MachineDef {
  return {
    gfnNames: ['G'],
    pfns: 1,
    slots: [{ name: 'G', spte: o.spte, gfn: 0 }],
    indirect: false,
    gptes: [],
    vcpus: o.vcpus,
    pages: [{ pfn: 1, gfn: 0, dirty: dirtiedAtFault(o.kernel) }],
    hostMap: { 0: 1 },
    dirtyLogging: o.dirtyLogging,
    ...(o.dirtyBitmap !== undefined && { dirtyBitmap: o.dirtyBitmap }),
    locks: [{ name: 'mmu_lock', type: 'rwlock' }],
    srcu: [],
  };
}
