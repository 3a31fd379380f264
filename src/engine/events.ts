import type { LockMode } from './model';

/** One shared-memory access of a step. `rmw` is an atomic read-modify-write. */
export interface Access {
  /** Flat memory index; `Layout.name(loc)` names it. */
  loc: number;
  kind: 'read' | 'write' | 'rmw';
  old: number;
  value: number;
}

export interface RegWrite {
  reg: string;
  value: number;
  /**
   * Flat memory index the value was copied from, when the op is a plain load
   * (`old_spte = *sptep`). Such a register stands for that location until it
   * is read again, so a viewer can show when memory has moved on without it.
   */
  from?: number;
}

export type SyncEvent =
  | { kind: 'acquire' | 'release'; lock: string; mode: LockMode }
  | { kind: 'srcu-read-lock' | 'srcu-read-unlock'; domain: string }
  /** synchronize_srcu starts a grace period that must wait for these readers. */
  | { kind: 'gp-start'; domain: string; readers: number[] }
  | { kind: 'gp-end'; domain: string }
  /** kvm_flush_remote_tlbs emptied these vCPUs' TLBs. */
  | { kind: 'tlb-flush'; vcpus: number[] };

/** What one atomic step did. The timeline, inspector and checks all read these. */
export interface StepEvent {
  step: number;
  thread: number;
  /** Index of the op executed in the thread's program. */
  pc: number;
  /** The thread's pc after the step (its program length when it finished). */
  next: number;
  accesses: Access[];
  regs: RegWrite[];
  sync?: SyncEvent;
  /** A short result in words: "cmpxchg succeeded", "page fault", "branch taken". */
  outcome?: string;
}

/** Why a thread cannot take its next step now. */
export type BlockReason =
  | { kind: 'done' }
  | { kind: 'lock'; lock: string; mode: LockMode; holders: number[] }
  | { kind: 'grace-period'; domain: string; readers: number[] }
  | { kind: 'flush'; walkers: number[] }
  | { kind: 'await'; why: string }
  | { kind: 'no-free-page' };
