import { SPTE, makeSpte, type LockDef, type MachineDef } from '../../engine';

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
