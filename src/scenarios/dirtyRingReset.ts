import {
  ProgramBuilder,
  type KernelVersion,
  type MachineDef,
  type PlanStep,
  type ThreadDef,
} from '../engine';
import { builtIn } from './builtIn';
import { FILES, spteValue } from './kernel/refs';
import { guestAccess } from './kernel/fault';
import { copyPages, twoGfnLogMachine, DIRTY_LOG_KERNELS } from './kernel/dirtyLog';
import { reapRing, resetRing } from './kernel/dirtyRing';
import type { ScenarioDef } from './types';

type Variant = 'no-harvested-check' | 'harvested';

const A = 0;
const B = 1;
const RING_SIZE = 4;

/**
 * gfns A and B, each mapped by a direct SPTE that the last re-arm
 * write-protected (W clear, MMU-writable set), dirty logging on, and a ring
 * of four entries for vCPU0.
 */
function machine(k: KernelVersion): MachineDef {
  const wp = (pfn: number) => spteValue.writeProtected(pfn, { accessed: true, dirty: false });
  return twoGfnLogMachine({
    sptes: [wp(1), wp(2)],
    kernel: k,
    extra: { dirtyRing: { size: RING_SIZE } },
  });
}

function vcpu0(k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'vcpu_enter_guest', file: FILES.x86 });
  guestAccess(b, { slot: A, write: true, fast: 'direct', gfn: A, kernel: k });
  b.label('write_b');
  guestAccess(b, { slot: B, write: true, fast: 'direct', gfn: B, kernel: k });
  b.ret('return;  /* both writes done */');
  return {
    name: 'vCPU0',
    role: 'guest writes A, then B; each write to a write-protected gfn faults, and the fast page fault sets W and pushes the gfn onto vCPU0’s dirty ring',
    vcpu: 0,
    program: b.build(),
  };
}

function migration(v: Variant, k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'kvm_vm_ioctl', file: FILES.kvmMain });
  reapRing(b, { vcpu: 0, size: RING_SIZE, collected: 'collected' });
  resetRing(b, {
    vcpu: 0,
    size: RING_SIZE,
    slots: [A, B],
    kernel: k,
    skipHarvestedCheck: v === 'no-harvested-check',
  });
  copyPages(
    b,
    'collected',
    'send the collected pages to the destination;  /* after KVM_RESET_DIRTY_RINGS returns */',
  );
  return {
    name: 'QEMU',
    role: 'userspace migration thread: collects the dirty ring, calls KVM_RESET_DIRTY_RINGS, then sends the collected pages',
    program: b.build(),
  };
}

const build = builtIn<Variant>('dirty-ring', (v, k) => {
  const plan: PlanStep[] = [
    {
      thread: 0,
      until: 'write_b',
      text: 'vCPU0: the guest writes A, which is write-protected: the fast page fault sets W by cmpxchg and mark_page_dirty_in_slot pushes A onto the ring (entry 0); the write is retried and lands.',
    },
    {
      thread: 1,
      until: 'reset_start',
      text: 'QEMU collects the ring: entry 0 is dirty, so A goes into the migration bitmap and the entry is handed back (KVM_DIRTY_GFN_F_RESET); entry 1 is empty, so collection stops.',
    },
    {
      thread: 0,
      text: 'vCPU0: the guest writes B: the same fault pushes B (entry 1), after QEMU has collected; the write lands.',
    },
    {
      thread: 1,
      text:
        v === 'harvested'
          ? 'QEMU: KVM_RESET_DIRTY_RINGS. Entry 0 was handed back: invalidated, A write-protected. Entry 1 was not: kvm_dirty_gfn_harvested() stops the reset there, and B stays on the ring for the next collection. Flush, then QEMU sends A.'
          : 'QEMU: KVM_RESET_DIRTY_RINGS without the harvested check walks to dirty_index: entry 0 (A) and entry 1 (B) are both invalidated and write-protected. Flush, then QEMU sends A, the only gfn it collected.',
    },
  ];
  return {
    machine: machine(k),
    threads: [vcpu0(k), migration(v, k)],
    checks: ['lost-dirty-log', 'lost-dirty-bit', 'deadlock', 'lock-order', 'sleep-in-atomic'],
    plan,
  };
});

export const dirtyRingScenario: ScenarioDef = {
  id: 'dirty-ring',
  title: 'Dirty ring: KVM_RESET_DIRTY_RINGS racing with a fault',
  description:
    'With KVM_CAP_DIRTY_LOG_RING, mark_page_dirty_in_slot on a running vCPU pushes the gfn onto that vCPU’s ring (kvm_dirty_ring_push) instead of setting the bitmap. Userspace collects dirty entries and hands them back (flags = KVM_DIRTY_GFN_F_RESET); KVM_RESET_DIRTY_RINGS then re-arms exactly the handed-back gfns (write-protects them) and invalidates their entries, and userspace sends the pages after the ioctl returns. The reset must stop at the first entry not handed back: a fault may push an entry after userspace collected and before the reset, and resetting it would re-arm the gfn while nobody ever reported it. lost-dirty-log counts a gfn as reported while it is in the bitmap or in an entry KVM has not reset. (Shadow MMU with direct SPs, where the re-arm is rmap_write_protect. Simplified: the push is one step; the reset re-arms each entry on its own instead of batching neighbouring gfns into one mask; the soft-full exit, signal_pending (7.2) and the coalescing are not modelled. Userspace follows QEMU’s kvm_dirty_ring_reap_one.)',
  docSection:
    'Dirty ring (virt/kvm/dirty_ring.c); locking.rst: kvm->slots_lock serializes KVM_RESET_DIRTY_RINGS',
  ...DIRTY_LOG_KERNELS,
  variants: [
    {
      id: 'no-harvested-check',
      title: 'Reset without the harvested check (hypothetical)',
      description:
        'kvm_dirty_ring_reset resets every entry up to dirty_index instead of stopping at the first one without KVM_DIRTY_GFN_F_RESET: the entry B’s fault pushed after userspace collected is invalidated and B is write-protected, so B’s write is in no bitmap and no live entry: lost-dirty-log, gfn B.',
    },
    {
      id: 'harvested',
      title: 'kvm_dirty_gfn_harvested() stops the reset (6.12, 7.2)',
      description:
        'As the kernel does it: the reset stops at B’s entry, which stays dirty on the ring until the next collection. Clean in every interleaving.',
    },
  ],
  build,
};
