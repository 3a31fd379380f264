import { ProgramBuilder, type KernelVersion, type PlanStep, type ThreadDef } from '../engine';
import { builtIn } from './builtIn';
import { FILES, oneGfnMachine, spteValue } from './kernel/refs';
import { frozenName, nonpresentName, tdpGuestAccess, zapCollapsible } from './kernel/tdp';
import type { ScenarioDef } from './types';

type Variant = 'frozen' | 'plain-store';

/**
 * G's SPTE at the start: present, writable, Accessed, Dirty clear (the last
 * harvest of PML-based dirty logging cleared it).
 */
const INITIAL = spteValue.cleanWritable(1);

function zapper(v: Variant, k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'kvm_mmu_zap_collapsible_sptes', file: FILES.mmu });
  zapCollapsible(b, { slot: 0, kernel: k, plainStore: v === 'plain-store' });
  const role =
    v === 'plain-store'
      ? 'zap_collapsible_spte_range under mmu_lock held for read, zapping with a plain store (hypothetical)'
      : `zap_collapsible_spte_range under mmu_lock held for read: tdp_mmu_zap_spte_atomic freezes the SPTE with cmpxchg (${frozenName(k)}), flushes, then writes ${nonpresentName(k)}`;
  return {
    name: 'T',
    role,
    program: b.build(),
  };
}

function vcpu(index: number, write: boolean, k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'kvm_tdp_mmu_page_fault', file: FILES.mmu });
  if (write) {
    tdpGuestAccess(b, { slot: 0, gfn: 0, pfn: 1, write, kernel: k, tag: 'w1_' });
    b.label('second');
    tdpGuestAccess(b, { slot: 0, gfn: 0, pfn: 1, write, kernel: k, tag: 'w2_' });
  } else tdpGuestAccess(b, { slot: 0, gfn: 0, pfn: 1, write, kernel: k, tag: 'r_' });
  b.ret(`return;  /* the ${write ? 'writes are' : 'read is'} done */`);
  return {
    name: `vCPU${index}`,
    role: write
      ? 'guest writes G twice; a fault runs kvm_tdp_mmu_page_fault under mmu_lock held for read'
      : 'guest reads G; a fault runs kvm_tdp_mmu_page_fault under mmu_lock held for read',
    vcpu: index,
    program: b.build(),
  };
}

const build = builtIn<Variant>('tdp-mmu', (v, k) => ({
  machine: oneGfnMachine({ spte: INITIAL, kernel: k, vcpus: 2, dirtyLogging: false }),
  threads: [zapper(v, k), vcpu(0, true, k), vcpu(1, false, k)],
  checks: ['lost-dirty-bit', 'deadlock', 'lock-order', 'sleep-in-atomic'],
  plan: v === 'plain-store' ? plainStorePlan(k) : frozenPlan(k),
}));

/** Model reference H3, row by row, with a second vCPU faulting on the frozen SPTE. */
function frozenPlan(k: KernelVersion): PlanStep[] {
  const fz = frozenName(k);
  return [
    {
      thread: 0,
      until: 'zap_cas',
      text: 'T (dirty logging was just disabled: kvm_mmu_zap_collapsible_sptes) takes mmu_lock for read and reads iter.old_spte.',
    },
    {
      thread: 1,
      until: 'second',
      text: 'vCPU0: the guest writes G; the CPU walks to the SPTE, sets Dirty and caches the translation.',
    },
    {
      thread: 0,
      until: 'zap_store',
      text:
        k === '6.8'
          ? `T: cmpxchg(iter.old_spte → ${fz}), retrying with the value try_cmpxchg64 hands back if it fails; handle_changed_spte on the old value; then kvm_flush_remote_tlbs_gfn.`
          : `T: cmpxchg(iter.old_spte → ${fz}), retrying with the value try_cmpxchg64 hands back if it fails; then kvm_flush_remote_tlbs_gfn.`,
    },
    {
      thread: 2,
      until: 'r_retry_wait',
      text: 'vCPU1: the guest reads G and faults; kvm_tdp_mmu_page_fault takes mmu_lock for read and walks to the SPTE.',
    },
    {
      thread: 1,
      until: 'w2_retry_wait',
      text: 'vCPU0: the guest writes G again and faults; the same fault path walks to the SPTE.',
    },
    {
      thread: 0,
      text:
        k === '6.8'
          ? `T writes ${nonpresentName(k)} over ${fz}, leaves the RCU read section and drops mmu_lock.`
          : `T writes ${nonpresentName(k)} over ${fz}, calls handle_changed_spte on iter.old_spte, leaves the RCU read section and drops mmu_lock.`,
    },
    {
      thread: 2,
      text: 'vCPU1 faults again: walks to the SPTE, makes a new one and installs it with cmpxchg; the guest read retries.',
    },
    { thread: 1, text: 'vCPU0 retries its write.' },
  ];
}

/** The hypothetical zap: model reference H8's lost Dirty bit, under the read lock. */
function plainStorePlan(k: KernelVersion): PlanStep[] {
  return [
    {
      thread: 2,
      text: 'vCPU1: the guest reads G; the CPU walks to the SPTE and caches the translation.',
    },
    {
      thread: 0,
      until: 'zap_store',
      text: 'T (dirty logging was just disabled: kvm_mmu_zap_collapsible_sptes) takes mmu_lock for read and reads iter.old_spte.',
    },
    {
      thread: 1,
      text: 'vCPU0: the guest writes G twice; the first write walks to the SPTE and sets Dirty.',
    },
    {
      thread: 0,
      text: `T stores ${nonpresentName(k)} with a plain store, flushes TLBs, calls handle_changed_spte on iter.old_spte, leaves the RCU read section and drops mmu_lock.`,
    },
  ];
}

export const tdpMmuScenario: ScenarioDef = {
  id: 'tdp-mmu',
  title: 'TDP MMU under the read lock: cmpxchg and FROZEN_SPTE',
  description:
    "locking.rst says that \"kvm->arch.mmu_lock is an rwlock\", and that the fast page fault may change SPTEs outside it because \"whenever changing these bits can be detected by cmpxchg\". The TDP MMU builds on both: its page faults and bulk walks such as zapping collapsible SPTEs (run when dirty logging is disabled) hold mmu_lock only for read, so every SPTE write is a cmpxchg, and a zap first freezes the SPTE (FROZEN_SPTE; REMOVED_SPTE in 6.8) so that no other reader installs a present SPTE before the TLBs are flushed. T zaps G while vCPU0 writes it and vCPU1 reads it: the CPU setting Dirty after T's read makes T's cmpxchg fail, faults that walk into the frozen SPTE retry, and two faults installing the same SPTE race by cmpxchg. A plain store under the read lock instead wipes the Dirty bit the CPU set after T's read, and the page is never marked dirty. (Model reference H2 and H3.) Simplified to one level: zap_collapsible_spte_range never zaps leaves (\"Don't zap leaf SPTEs\"); it freezes the page-table SPTE above them with cmpxchg, and since the 6.1 cycle handle_removed_pt freezes each leaf with xchg to FROZEN_SPTE and hands the value it returns to handle_changed_spte. Here T's cmpxchg on G's own SPTE stands for both: the model's failed cmpxchg when the CPU set Dirty since T's read is the leaf xchg's job in the kernel (an xchg cannot fail; it returns the Dirty bit), while the kernel's cmpxchg on the parent fails only when the parent changed. Either way the Dirty bit reaches the page, which is what the scenario checks.",
  docSection:
    'Lock ordering: "kvm->arch.mmu_lock is an rwlock"; Fast page fault: changes "detected by cmpxchg"',
  kernels: ['6.8', '6.12'],
  kernelNote:
    'since 6.13 recover_huge_pages_range replaced zap_collapsible_spte_range and tdp_mmu_zap_spte_atomic is gone, so the zapping thread of this story does not exist in 7.2',
  variants: [
    {
      id: 'frozen',
      title: 'Atomic zap: cmpxchg to FROZEN_SPTE (6.12)',
      description:
        'tdp_mmu_zap_spte_atomic: cmpxchg from iter.old_spte to FROZEN_SPTE (retrying with the fresh value when the CPU set Dirty meanwhile), flush, then a raw write of the non-present value, and handle_changed_spte moves Dirty from the value the cmpxchg replaced.',
    },
    {
      id: 'plain-store',
      title: 'Plain store under the read lock (hypothetical)',
      description:
        'The zap stores the non-present value with a plain store and hands the earlier read to handle_changed_spte: a Dirty bit the CPU set in between is lost. (Model reference H8 is the same loss under the write lock, in older TDP MMU code.)',
    },
  ],
  build,
};
