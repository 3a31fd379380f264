import { ProgramBuilder, type KernelVersion, type PlanStep, type ThreadDef } from '../engine';
import { builtIn } from './builtIn';
import { FILES, oneGfnMachine, spteValue } from './kernel/refs';
import { SLOTS_LOCK, DIRTY_LOG_KERNELS } from './kernel/dirtyLog';
import { pmlHarvest, tdpWrite, tdpZapLeaf } from './kernel/dBit';
import type { ScenarioDef } from './types';

type Variant = 'zap-drops-d' | 'xchg';

/**
 * G's SPTE at the start: the last harvest re-armed D-bit logging by clearing
 * Dirty; it stays writable, so the next write sets Dirty without a fault.
 * The page was written back since (clean).
 */
const INITIAL = spteValue.cleanWritable(1);

function vcpu0(k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'vcpu_enter_guest', file: FILES.x86 });
  tdpWrite(b, { slot: 0, gfn: 0, pfn: 1, kernel: k });
  b.ret('return;');
  return {
    name: 'vCPU0',
    role: 'guest writes G; the CPU sets Dirty and PML logs G (a fault only if G was zapped)',
    vcpu: 0,
    program: b.build(),
  };
}

function mm(v: Variant, k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({
    fn: 'kvm_mmu_notifier_invalidate_range_start',
    file: FILES.kvmMain,
  });
  tdpZapLeaf(b, { slot: 0, kernel: k, dropsD: v === 'zap-drops-d' });
  return {
    name: 'mm',
    role:
      v === 'zap-drops-d'
        ? 'host mm invalidates G (e.g. NUMA balancing): the TDP MMU zaps its leaf with a plain store (hypothetical)'
        : 'host mm invalidates G (e.g. NUMA balancing): tdp_mmu_zap_leafs zaps its leaf with xchg and moves Dirty to the page',
    program: b.build(),
  };
}

function qemu(k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'kvm_vm_ioctl_get_dirty_log', file: FILES.kvmMain });
  pmlHarvest(b, { slot: 0, kernel: k });
  return {
    name: 'QEMU',
    role: 'userspace: KVM_GET_DIRTY_LOG with PML (the harvest clears Dirty, not W), then sends the pages',
    program: b.build(),
  };
}

const build = builtIn<Variant>('d-bit-logging', (v, k) => {
  const base = oneGfnMachine({ spte: INITIAL, kernel: k, vcpus: 1, dirtyLogging: true });
  const plan: PlanStep[] = [
    {
      thread: 1,
      until: 'zap_write',
      text: 'mm: an invalidation of G takes mmu_lock for write; tdp_mmu_zap_leafs reads G’s leaf: writable, Dirty clear.',
    },
    {
      thread: 0,
      text: 'vCPU0: the guest writes G. The SPTE is writable, so there is no fault: the CPU sets Dirty and PML logs G. mmu_lock does not stop the CPU.',
    },
    {
      thread: 1,
      text:
        v === 'xchg'
          ? 'mm: the SPTE is volatile (writable, Dirty clear), so kvm_tdp_mmu_write_spte zaps it with xchg, which returns the Dirty bit just set; handle_changed_spte moves it to the page. Flush, unlock.'
          : 'mm: the zap stores the non-present value and hands its earlier read (Dirty clear) to handle_changed_spte: the Dirty bit just set is gone. Flush, unlock.',
    },
    {
      thread: 2,
      text: 'QEMU: KVM_GET_DIRTY_LOG reports G (PML logged it); G has no SPTE left to clear Dirty on; flush, and QEMU sends G.',
    },
  ];
  return {
    machine: { ...base, pml: true, locks: [...base.locks, { name: SLOTS_LOCK, type: 'mutex' }] },
    threads: [vcpu0(k), mm(v, k), qemu(k)],
    checks: ['lost-dirty-log', 'lost-dirty-bit', 'deadlock', 'lock-order', 'sleep-in-atomic'],
    plan,
  };
});

export const dBitLoggingScenario: ScenarioDef = {
  id: 'd-bit-logging',
  title: 'D-bit dirty logging (PML): what the zap owes the Dirty bit',
  description:
    'With PML, KVM logs dirty pages by clearing Dirty instead of W: the harvest (kvm_arch_mmu_enable_log_dirty_pt_masked → clear_dirty_pt_masked; kvm_mmu_slot_leaf_clear_dirty → clear_dirty_gfn_range when logging is enabled) leaves the SPTE writable with Dirty clear, and when the CPU sets Dirty again it also writes the gfn to the PML buffer, which reaches the log at the next exit. So the log never depends on the SPTE, but the page does: a zap that removes a Dirty SPTE must move Dirty to the page (6.12: handle_changed_spte → kvm_set_pfn_dirty), and since the CPU may set Dirty on a writable, clean SPTE at any moment, even while mmu_lock is held for write, the zap must take Dirty from the value it actually replaced (kvm_tdp_mmu_write_spte’s xchg). (TDP MMU, one vCPU. Simplified: the PML buffer is flushed into the bitmap in the same step as the CPU sets Dirty, which is what kvm_arch_sync_dirty_log’s kick guarantees for every write before a harvest; the invalidated page is neither moved nor freed, so the fault’s mmu_invalidate_seq re-check is left out. 7.2 dirties the folio at fault time and moves no Dirty bit at zap time, so its zap owes the page nothing.)',
  docSection:
    'locking.rst, Fast page fault: "the Dirty bit is lost"; Documentation/virt/kvm/x86/mmu.rst on dirty logging',
  ...DIRTY_LOG_KERNELS,
  variants: [
    {
      id: 'zap-drops-d',
      title: 'A zap that drops Dirty (hypothetical)',
      description:
        'The zap writes the non-present value with a plain store, as if the SPTE had no volatile bits, and moves Dirty from its earlier read: a Dirty bit the CPU set in between reaches neither the page nor a present SPTE: lost-dirty-bit, pfn 1. The log is intact (PML logged G).',
      kernels: ['6.12'],
      kernelNote:
        '7.2 marks the folio dirty when the pfn is faulted in writable and moves no Dirty bit at zap time, so a zap that drops Dirty loses nothing there',
    },
    {
      id: 'xchg',
      title: 'xchg on a volatile SPTE (6.12, 7.2)',
      description:
        'As the kernel does it: kvm_tdp_mmu_spte_need_atomic_write (6.12; _need_atomic_update in 7.2) sees a writable SPTE with Dirty clear and zaps with xchg; 6.12 moves the returned Dirty bit to the page. Clean in every interleaving.',
    },
  ],
  build,
};
