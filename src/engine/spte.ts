/**
 * The shadow page-table entry (SPTE) as the model stores it: one integer with
 * named bits. The layout is lockstep's own (not EPT's bit numbers) so that a
 * whole SPTE fits in a 32-bit integer and `cmpxchg` can compare whole values,
 * exactly as `cmpxchg64` compares the whole 64-bit word in the kernel. The
 * predicates below are the kernel's (`arch/x86/kvm/mmu/spte.h`, `spte.c`, 6.12
 * unless named otherwise), written over this layout.
 */

export const SPTE = {
  /** Hardware read permission (EPT bit 0 / legacy Present). */
  R: 1 << 0,
  /** Hardware write permission: the fast path may set it without mmu_lock. */
  W: 1 << 1,
  /** Hardware execute permission. */
  X: 1 << 2,
  /** Accessed, set by the hardware page walker. */
  A: 1 << 3,
  /** Dirty, set by the hardware page walker on a write through a writable SPTE. */
  D: 1 << 4,
  /** Software: the host mapping and the memslot allow writes. */
  HOST_WRITABLE: 1 << 5,
  /** Software: KVM is not write-protecting this gfn for shadow paging. */
  MMU_WRITABLE: 1 << 6,
  /** Software: shadow-present (SPTE_MMU_PRESENT_MASK); access-tracked SPTEs keep it. */
  MMU_PRESENT: 1 << 7,
  /** Leaf above 4K (PT_PAGE_SIZE_MASK). */
  LARGE: 1 << 8,
  /** A/D type "disabled": access tracking instead of hardware A/D bits. */
  AD_DISABLED: 1 << 9,
  /** Access-tracking save area for R (SHADOW_ACC_TRACK_SAVED_BITS). W is never saved. */
  SAVED_R: 1 << 10,
  /** Access-tracking save area for X. */
  SAVED_X: 1 << 11,
  /** Marks FROZEN_SPTE (REMOVED_SPTE in 6.8): a TDP MMU zap in progress. */
  FROZEN_MARK: 1 << 12,
} as const;

export const PFN_SHIFT = 16;
export const MAX_PFN = (1 << 15) - 1;

/** SHADOW_NONPRESENT_VALUE (bit 63 only in 6.12, 0 in 6.8): shown as NONPRESENT. */
export const NONPRESENT = 0;
/** FROZEN_SPTE: non-present, never shadow-present, unique. */
export const FROZEN_SPTE = SPTE.FROZEN_MARK;

const RWX = SPTE.R | SPTE.W | SPTE.X;

export const sptePfn = (s: number): number => s >>> PFN_SHIFT;
export const withPfn = (s: number, pfn: number): number =>
  (s & ((1 << PFN_SHIFT) - 1)) | (pfn << PFN_SHIFT);

export const isShadowPresentPte = (s: number): boolean => (s & SPTE.MMU_PRESENT) !== 0;
export const spteAdEnabled = (s: number): boolean => (s & SPTE.AD_DISABLED) === 0;
export const isWritablePte = (s: number): boolean => (s & SPTE.W) !== 0;
export const isMmuWritableSpte = (s: number): boolean => (s & SPTE.MMU_WRITABLE) !== 0;
export const isAccessTrackSpte = (s: number): boolean =>
  isShadowPresentPte(s) && !spteAdEnabled(s) && (s & RWX) === 0;
export const isAccessedSpte = (s: number): boolean =>
  spteAdEnabled(s) ? (s & SPTE.A) !== 0 : !isAccessTrackSpte(s);
export const isDirtySpte = (s: number): boolean =>
  spteAdEnabled(s) ? (s & SPTE.D) !== 0 : (s & SPTE.W) !== 0;

/** `spte_has_volatile_bits` (6.12 spte.c): bits that may change outside mmu_lock. */
export function spteHasVolatileBits(s: number): boolean {
  if (!isWritablePte(s) && isMmuWritableSpte(s)) return true;
  if (isAccessTrackSpte(s)) return true;
  if (spteAdEnabled(s)) {
    if ((s & SPTE.A) === 0 || (isWritablePte(s) && (s & SPTE.D) === 0)) return true;
  }
  return false;
}

/** `spte_needs_atomic_update` (7.2 spte.c): like the above, but Accessed may be clobbered. */
export function spteNeedsAtomicUpdate(s: number): boolean {
  if (!isWritablePte(s) && isMmuWritableSpte(s)) return true;
  if (!spteAdEnabled(s)) return true;
  return isWritablePte(s) && (s & SPTE.D) === 0;
}

/**
 * The original (around v3.5) test in `mmu_spte_clear_track_bits`: an SPTE is
 * "not volatile" once Accessed is set and it is read-only or already Dirty,
 * because then "the Accessed bit and Dirty bit can not be lost". It does not
 * know that the fast page fault may set W without mmu_lock: race 2.
 */
export function spteVolatileOriginal(s: number): boolean {
  if (!isShadowPresentPte(s) || !spteAdEnabled(s)) return false;
  const a = (s & SPTE.A) !== 0;
  const w = (s & SPTE.W) !== 0;
  const d = (s & SPTE.D) !== 0;
  return !(a && (!w || d));
}

/** `is_access_allowed`: exec faults ignored (not modelled). */
export const isAccessAllowed = (write: boolean, s: number): boolean =>
  write ? (s & SPTE.W) !== 0 : (s & SPTE.R) !== 0;

/** `mark_spte_for_access_track` (spte.c). */
export function markSpteForAccessTrack(s: number): number {
  if (spteAdEnabled(s)) return s & ~SPTE.A;
  if (isAccessTrackSpte(s)) return s;
  let n = s & ~(SPTE.SAVED_R | SPTE.SAVED_X);
  if (s & SPTE.R) n |= SPTE.SAVED_R;
  if (s & SPTE.X) n |= SPTE.SAVED_X;
  return n & ~RWX;
}

/** `restore_acc_track_spte` (spte.h): R and X come back, W stays 0. */
export function restoreAccTrackSpte(s: number): number {
  let n = s & ~(SPTE.SAVED_R | SPTE.SAVED_X);
  if (s & SPTE.SAVED_R) n |= SPTE.R;
  if (s & SPTE.SAVED_X) n |= SPTE.X;
  return n;
}

export interface MakeSpteArgs {
  pfn: number;
  /** The pfn was mapped writable by GUP (`map_writable`): sets Host-writable. */
  hostWritable: boolean;
  /** The SPTE is made writable (W and MMU-writable). */
  writable: boolean;
  adEnabled?: boolean;
}

/**
 * `make_spte` (spte.c) for a non-prefetch fault: shadow-present, R/X,
 * Accessed, Host-writable if GUP said so, W|MMU-writable if writable, and
 * with A/D enabled Dirty is preset on a writable SPTE.
 */
export function makeSpte(a: MakeSpteArgs): number {
  const ad = a.adEnabled ?? true;
  let s = SPTE.MMU_PRESENT | SPTE.R | SPTE.X | (a.pfn << PFN_SHIFT);
  if (!ad) s |= SPTE.AD_DISABLED;
  else s |= SPTE.A;
  if (a.hostWritable) s |= SPTE.HOST_WRITABLE;
  if (a.writable && a.hostWritable) {
    s |= SPTE.W | SPTE.MMU_WRITABLE;
    if (ad) s |= SPTE.D;
  }
  return s;
}

const FLAG_NAMES: readonly [number, string][] = [
  [SPTE.R, 'R'],
  [SPTE.W, 'W'],
  [SPTE.X, 'X'],
  [SPTE.A, 'A'],
  [SPTE.D, 'D'],
  [SPTE.HOST_WRITABLE, 'HostW'],
  [SPTE.MMU_WRITABLE, 'MmuW'],
  [SPTE.LARGE, 'Large'],
  [SPTE.AD_DISABLED, 'AD-off'],
  [SPTE.SAVED_R, 'savedR'],
  [SPTE.SAVED_X, 'savedX'],
];

/** Named fields of an SPTE, for inspectors and messages. */
export interface SpteFields {
  kind: 'nonpresent' | 'frozen' | 'present';
  pfn: number;
  flags: string[];
}

export function decodeSpte(s: number): SpteFields {
  if (s === FROZEN_SPTE) return { kind: 'frozen', pfn: 0, flags: [] };
  if (!isShadowPresentPte(s)) return { kind: 'nonpresent', pfn: 0, flags: [] };
  return {
    kind: 'present',
    pfn: sptePfn(s),
    flags: FLAG_NAMES.filter(([bit]) => (s & bit) !== 0).map(([, n]) => n),
  };
}

/** e.g. `{pfn1 R W=0 A D HostW MmuW}` or `NONPRESENT`. */
export function formatSpte(s: number): string {
  const f = decodeSpte(s);
  if (f.kind === 'frozen') return 'FROZEN_SPTE';
  if (f.kind === 'nonpresent') return 'NONPRESENT';
  const flags = f.flags.filter((n) => n !== 'W');
  const w = (s & SPTE.W) !== 0 ? 'W=1' : 'W=0';
  return `{pfn${f.pfn} ${w} ${flags.join(' ')}}`;
}
