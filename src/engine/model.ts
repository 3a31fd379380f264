import type { KernelVersion } from './lockTable';
/**
 * Scenario, program and machine types. Everything here is plain JSON data:
 * a scenario can be serialised, shared, shown line by line and explored.
 */

/** A thread-local register name. Registers start at 0. */
export type Reg = string;

export type BinOp =
  '+' | '-' | '&' | '|' | '^' | '<<' | '>>' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';
export type UnOp = '!' | '~';

/**
 * Kernel helpers usable in expressions, all pure functions of their
 * arguments (see spte.ts). `bit(g)` is `1 << g`, for dirty-bitmap masks.
 */
export type FnName =
  | 'is_shadow_present_pte'
  | 'is_writable_pte'
  | 'is_mmu_writable_spte'
  | 'is_access_track_spte'
  | 'is_accessed_spte'
  | 'is_dirty_spte'
  | 'spte_ad_enabled'
  | 'spte_has_volatile_bits'
  | 'spte_needs_atomic_update'
  | 'spte_volatile_original'
  | 'spte_to_pfn'
  | 'is_access_allowed_write'
  | 'is_access_allowed_read'
  | 'mark_spte_for_access_track'
  | 'restore_acc_track_spte'
  | 'make_spte'
  | 'bit';

/** A memory location: an array of the machine and an index, or a scalar. */
export type Loc = readonly [string] | readonly [string, Expr];

/**
 * Expressions: a number, a register name, or a tuple.
 * `['ld', loc]` reads shared memory as part of the op's single atomic step;
 * use it only where the kernel's reads are made atomic by a lock.
 */
export type Expr =
  | number
  | Reg
  | readonly [BinOp, Expr, Expr]
  | readonly [UnOp, Expr]
  | readonly ['?', Expr, Expr, Expr]
  | readonly ['ld', Loc]
  | readonly ['fn', FnName, ...Expr[]];

/** `rwlock` spins (x86 mmu_lock); `rwsem` sleeps (cpus_read_lock's cpu_hotplug_lock). */
export type LockType = 'mutex' | 'spinlock' | 'rwlock' | 'rwsem';
export type LockMode = 'excl' | 'read' | 'write';

/** The operation of one atomic step. */
export type OpBody =
  | { k: 'set'; dst: Reg; e: Expr }
  | { k: 'load'; dst: Reg; loc: Loc }
  | { k: 'store'; loc: Loc; e: Expr }
  | { k: 'cas'; loc: Loc; expect: Expr; e: Expr; ok: Reg; old?: Reg }
  | { k: 'xchg'; loc: Loc; e: Expr; dst?: Reg }
  | { k: 'rmw'; loc: Loc; rop: '|' | '&' | '+'; e: Expr; dst?: Reg }
  | { k: 'br'; cond: Expr; to: string }
  | { k: 'jmp'; to: string }
  | { k: 'await'; cond: Expr; why: string }
  | { k: 'ret' }
  | { k: 'nop' }
  | { k: 'lock'; lock: string; mode: LockMode }
  | { k: 'unlock'; lock: string; mode: LockMode }
  | { k: 'srcu_read_lock'; domain: string; dst?: Reg }
  | { k: 'srcu_read_unlock'; domain: string }
  | { k: 'srcu_sync'; domain: string; phase: 'start' | 'wait' }
  /** Guest memory access by this vCPU through its TLB and the SPTE of `slot`. */
  | { k: 'access'; slot: Expr; write: boolean; dst: Reg }
  /** kvm_flush_remote_tlbs: every vCPU's TLB; waits for lockless shadow walkers. */
  | { k: 'flush_tlbs' }
  /** mark_page_dirty_in_slot: atomic set_bit_le in the dirty bitmap if logging is on. */
  | { k: 'mark_dirty'; gfn: Expr }
  /** GUP (__gfn_to_pfn_memslot): a page reference; faults the page in unless atomic. */
  | { k: 'gup'; gfn: Expr; dst: Reg; atomic: boolean }
  /** kvm_release_pfn_clean / put_page: drop a reference; frees an unmapped page at 0. */
  | { k: 'put_page'; pfn: Expr }
  /** Host mm after invalidate_range_start: clear the host PTE, swap out, free if unpinned. */
  | { k: 'unmap_free'; gfn: Expr }
  /** Host mm migrates the gfn's page: copy to a free frame, remap, free the old one if unpinned. */
  | { k: 'migrate'; gfn: Expr }
  /** The guest writes its own page table; the store traps and KVM emulates it. */
  | { k: 'gpt_write'; gpte: Expr; e: Expr }
  /** Userspace copies the reported pages to the migration destination (ghost). */
  | { k: 'harvest_copy'; mask: Expr };

export type OpKind = OpBody['k'];

/** Where an op comes from in the kernel. */
export interface KernelRef {
  /** Kernel function the step stands for, e.g. `fast_page_fault`. */
  fn: string;
  /** Path from the kernel tree root, e.g. `arch/x86/kvm/mmu/mmu.c`. */
  file: string;
  /**
   * Set when `fn` names no kernel function, so the fidelity check (which
   * looks every other `fn` up in `file` of the kernel's tree) skips it:
   * `hypothetical` for code no kernel release has (a handler a scenario
   * invents to show a rule), `userspace` for a VMM thread such as QEMU.
   */
  origin?: 'hypothetical' | 'userspace';
}

export type Op = OpBody &
  KernelRef & {
    /** The pseudo-C line, as locking.rst or the kernel would write it. */
    text: string;
    /** Plain-words narration of what this step does and why it matters. */
    note?: string;
    /** Branch target name defined at this op. */
    label?: string;
    /** More names for the same op, when several labels fall on it. */
    alias?: string[];
  };

export interface ThreadDef {
  /** Lane name, e.g. `vCPU0` or `kswapd`. */
  name: string;
  /** What it is, e.g. "vCPU thread: guest write, fast page fault". */
  role: string;
  /** Index of the vCPU whose TLB and mode this thread uses; absent for host threads. */
  vcpu?: number;
  program: Op[];
}

export interface LockDef {
  name: string;
  type: LockType;
}

/**
 * The checks a scenario may ask for. `deadlock` is always checked whatever a
 * scenario lists: a run where no thread can move is never a correct ending.
 */
export type CheckKind =
  | 'lost-dirty-log'
  | 'lost-dirty-bit'
  | 'deadlock'
  | 'lock-order'
  | 'srcu-rule'
  | 'sleep-in-atomic'
  | 'stale-mapping'
  | 'stale-tlb-write';

/** A page frame at the start: which gfn's data it holds, or free. */
export interface PageInit {
  pfn: number;
  /** Owner gfn, or null when the frame is on the free list. */
  gfn: number | null;
  dirty?: boolean;
  accessed?: boolean;
}

/** The modelled machine at the start of a scenario. */
export interface MachineDef {
  /** gfns are 0..gfns-1; a name for each (e.g. `gfn1`, `T`). */
  gfnNames: string[];
  /** pfns are 1..pfns; 0 means "no page". */
  pfns: number;
  /** SPTE slots: the leaf SPTEs of the scenario (one per gva or gfn mapped). */
  slots: { name: string; spte: number; gfn: number }[];
  /** True when slots belong to an indirect shadow page (gfn recorded per index). */
  indirect: boolean;
  /** Guest PTEs (indirect only): gfn each one maps. */
  gptes: number[];
  /** The gfn that holds the guest page table (indirect only). */
  gptGfn?: number;
  vcpus: number;
  /**
   * Whether vCPUs cache translations in a TLB (default true). Without one,
   * every guest access walks to the SPTE, so a write lands only while the
   * SPTE is present and writable.
   */
  tlb?: boolean;
  pages: PageInit[];
  /** Host mapping gfn -> pfn for resident gfns. */
  hostMap: Record<number, number>;
  dirtyLogging: boolean;
  /** Dirty bitmap bits set at the start. */
  dirtyBitmap?: number;
  /**
   * KVM_CAP_DIRTY_LOG_RING: a ring of `size` entries (a power of two) per
   * vCPU. A vCPU's mark_page_dirty_in_slot then pushes onto its own ring
   * instead of setting the bitmap (see dirtyRing.ts).
   */
  dirtyRing?: { size: number };
  /**
   * D-bit dirty logging (Intel PML): when the CPU sets Dirty on a leaf SPTE
   * it also logs the gfn, so the harvest re-arms logging by clearing Dirty
   * instead of W.
   */
  pml?: boolean;
  locks: LockDef[];
  srcu: string[];
  /** Scenario-specific shared scalars, e.g. `mn_active_invalidate_count`. */
  vars?: Record<string, number>;
  /**
   * Addressable memory cells of a text scenario (litmus variables), one
   * array `cell` in declaration order: `['cell', i]` is cell i, so a pointer
   * held in a register can be dereferenced with a computed index.
   */
  cells?: { name: string; init: number }[];
}

/** A scenario variant built and ready to run. */
export interface ScenarioInstance {
  scenario: string;
  variant: string;
  /** The kernel whose code and locking.rst the instance follows; 6.12 when absent. */
  kernel?: KernelVersion;
  machine: MachineDef;
  threads: ThreadDef[];
  checks: CheckKind[];
  /** The schedule that tells the document's story, as thread indices. */
  canonical: number[];
  /** Narration of the canonical schedule, one entry per row of the document's table. */
  chapters: { start: number; thread: number; text: string }[];
}

/** A schedule: the thread chosen at each step. */
export type Schedule = readonly number[];
