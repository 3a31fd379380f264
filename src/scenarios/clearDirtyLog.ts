import {
  ProgramBuilder,
  SPTE,
  type KernelVersion,
  type MachineDef,
  type PlanStep,
  type ThreadDef,
} from '../engine';
import { builtIn } from './builtIn';
import { FILES, spteValue } from './kernel/refs';
import { guestAccess } from './kernel/fault';
import {
  clearDirtyLog,
  copyPages,
  getDirtyLogManual,
  twoGfnLogMachine,
  DIRTY_LOG_KERNELS,
} from './kernel/dirtyLog';
import type { ScenarioDef } from './types';

type Variant = 'plain-clear' | 'copy-before-clear' | 'fetch-andnot';

const A = 0;
const B = 1;

/**
 * gfn A was written this round: the fast path made its SPTE writable and
 * marked it in the bitmap. gfn B is write-protected for logging.
 */
function machine(k: KernelVersion): MachineDef {
  const wp = spteValue.writeProtected(2, { accessed: true, dirty: false });
  const written = spteValue.writeProtected(1, { accessed: true, dirty: true }) | SPTE.W;
  return twoGfnLogMachine({ sptes: [written, wp], kernel: k, extra: { dirtyBitmap: 1 << A } });
}

function vcpu0(k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'vcpu_enter_guest', file: FILES.x86 });
  guestAccess(b, { slot: B, write: true, fast: 'direct', gfn: B, kernel: k });
  b.label('write_a');
  guestAccess(b, { slot: A, write: true, fast: 'direct', gfn: A, kernel: k });
  b.ret('return;  /* both writes done */');
  return {
    name: 'vCPU0',
    role: 'guest writes B (write-protected: the fast page fault sets W and marks B in the bitmap, without mmu_lock), then A again',
    vcpu: 0,
    program: b.build(),
  };
}

function qemu(v: Variant, k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'kvm_vm_ioctl', file: FILES.kvmMain });
  getDirtyLogManual(b, 'got');
  b.label('clear');
  if (v === 'copy-before-clear')
    copyPages(b, 'got', 'send the reported pages;  /* hypothetical: before KVM_CLEAR_DIRTY_LOG */');
  clearDirtyLog(b, { slots: [A, B], mask: 'got', kernel: k, plain: v === 'plain-clear' });
  if (v !== 'copy-before-clear')
    copyPages(b, 'got', 'send the reported pages;  /* after KVM_CLEAR_DIRTY_LOG re-armed them */');
  return {
    name: 'QEMU',
    role: 'userspace with manual protect: KVM_GET_DIRTY_LOG, then KVM_CLEAR_DIRTY_LOG for the reported gfns, then sends their pages',
    program: b.build(),
  };
}

const build = builtIn<Variant>('clear-dirty-log', (v, k) => ({
  machine: machine(k),
  threads: [vcpu0(k), qemu(v, k)],
  checks: ['lost-dirty-log', 'lost-dirty-bit', 'deadlock', 'lock-order', 'sleep-in-atomic'],
  plan: v === 'copy-before-clear' ? copyFirstPlan() : racePlan(v),
}));

/** The fast path's set_bit_le lands between the clear's read and its store. */
function racePlan(v: Variant): PlanStep[] {
  return [
    {
      thread: 1,
      until: 'clear',
      text: 'QEMU: KVM_GET_DIRTY_LOG with manual protect copies the bitmap (A) to userspace; nothing is cleared or write-protected.',
    },
    {
      thread: 1,
      steps: v === 'plain-clear' ? 3 : 2,
      text:
        v === 'plain-clear'
          ? 'QEMU: KVM_CLEAR_DIRTY_LOG for A takes slots_lock and mmu_lock and reads the bitmap word (A).'
          : 'QEMU: KVM_CLEAR_DIRTY_LOG for A takes slots_lock and mmu_lock.',
    },
    {
      thread: 0,
      until: 'write_a',
      text: 'vCPU0: the guest writes B, which is write-protected: the fast page fault sets W by cmpxchg and mark_page_dirty_in_slot sets B’s bit, without mmu_lock; the write lands.',
    },
    {
      thread: 1,
      text:
        v === 'plain-clear'
          ? 'QEMU: the clear stores the word it read with A cleared, wiping B’s bit; it write-protects A, flushes after unlocking, and QEMU sends A.'
          : 'QEMU: atomic_long_fetch_andnot clears only A’s bit (B’s stays), A is write-protected, TLBs are flushed after unlocking, and QEMU sends A.',
    },
    {
      thread: 0,
      text: 'vCPU0: the guest writes A again: write-protected, so it faults and A is marked again.',
    },
  ];
}

function copyFirstPlan(): PlanStep[] {
  return [
    {
      thread: 1,
      until: 'clear',
      text: 'QEMU: KVM_GET_DIRTY_LOG with manual protect copies the bitmap (A) to userspace.',
    },
    {
      thread: 1,
      steps: 1,
      text: 'QEMU sends A’s page before clearing its bit (hypothetical order).',
    },
    {
      thread: 0,
      text: 'vCPU0: the guest writes B (fault, fast path, B marked) and then A. A’s SPTE is still writable: no fault, nothing marked, A’s bit is set anyway.',
    },
    {
      thread: 1,
      text: 'QEMU: KVM_CLEAR_DIRTY_LOG for A clears A’s bit (it really was set) and write-protects A. The write QEMU did not send is now in no bitmap.',
    },
  ];
}

export const clearDirtyLogScenario: ScenarioDef = {
  id: 'clear-dirty-log',
  title: 'KVM_CLEAR_DIRTY_LOG: manual protect as the harvest',
  description:
    'With KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, KVM_GET_DIRTY_LOG only copies the bitmap: it neither clears it nor write-protects anything. Userspace then calls KVM_CLEAR_DIRTY_LOG (kvm_clear_dirty_log_protect) for the gfns it is about to send: under mmu_lock, atomic_long_fetch_andnot clears their bits and keeps the ones that really were set, kvm_arch_mmu_enable_log_dirty_pt_masked write-protects exactly those, TLBs are flushed after unlocking, and only then does userspace send the pages. mmu_lock does not keep the bitmap still: the fast page fault marks gfns without it, so the clear must be one atomic read-modify-write. (Shadow MMU with direct SPs, where the re-arm is rmap_write_protect. Simplified: one bitmap word, the whole memslot; kvm_arch_sync_dirty_log is a no-op without PML.)',
  docSection: 'locking.rst, Fast page fault: mark_page_dirty_in_slot runs outside mmu_lock',
  ...DIRTY_LOG_KERNELS,
  variants: [
    {
      id: 'plain-clear',
      title: 'Clear with a plain read and store (hypothetical)',
      description:
        'The clear reads the bitmap word and stores it back with the requested bits cleared: the fast path’s set_bit_le for B in between is wiped, and B’s SPTE, already writable, will not fault again: lost-dirty-log, gfn B.',
    },
    {
      id: 'copy-before-clear',
      title: 'Userspace sends before it clears (hypothetical)',
      description:
        'A userspace ordering bug: QEMU sends A’s page, then clears A. A write to A in between goes through A’s still-writable SPTE, and the clear then erases the bit that recorded it: lost-dirty-log, gfn A.',
    },
    {
      id: 'fetch-andnot',
      title: 'atomic_long_fetch_andnot, then send (6.12, 7.2)',
      description:
        'As the kernel and QEMU do it: bits set meanwhile survive the clear, and pages are sent only after KVM_CLEAR_DIRTY_LOG re-armed them. Clean in every interleaving.',
    },
  ],
  build,
};
