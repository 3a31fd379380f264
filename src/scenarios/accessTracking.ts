import {
  ProgramBuilder,
  SPTE,
  makeSpte,
  markSpteForAccessTrack,
  type KernelVersion,
  type PlanStep,
  type ThreadDef,
} from '../engine';
import { builtIn } from './builtIn';
import { clearFlushYoung } from './kernel/aging';
import { guestAccess } from './kernel/fault';
import { FILES, oneGfnMachine } from './kernel/refs';
import type { ScenarioDef } from './types';

type Variant = 'lifecycle' | 'non-atomic-restore' | 'aging-window';

/** EPT without A/D bits: R, W, X, Host- and MMU-writable, A/D type "disabled". */
const PRESENT = makeSpte({ pfn: 1, hostWritable: true, writable: true, adEnabled: false });

/** The initial SPTE of G for each variant. */
const INITIAL: Record<Variant, number> = {
  // H9 step 1: present and writable.
  lifecycle: PRESENT,
  // Already aged: R/X saved, RWX clear; MMU-writable kept.
  'non-atomic-restore': markSpteForAccessTrack(PRESENT),
  // H4: readable, write-protected for dirty logging (W=0, MMU-writable=1).
  'aging-window': PRESENT & ~SPTE.W,
};

function aging(k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'kvm_mmu_notifier_clear_flush_young', file: FILES.kvmMain });
  clearFlushYoung(b, 0, k);
  b.ret('return young;');
  return {
    name: 'kswapd',
    role: 'host reclaim ages G: clear_flush_young marks the SPTE for access tracking',
    program: b.build(),
  };
}

function vcpu(
  index: number,
  write: boolean,
  times: number,
  k: KernelVersion,
  plainStore: boolean,
): ThreadDef {
  const b = new ProgramBuilder({ fn: 'kvm_mmu_page_fault', file: FILES.mmu });
  for (let i = 0; i < times; i++) {
    if (i > 0) b.label(`again${i}`);
    guestAccess(b, {
      slot: 0,
      write,
      fast: 'direct',
      gfn: 0,
      kernel: k,
      accessTrack: true,
      // The aging code is tdp_mmu.c's, so the fast path is the TDP MMU's too.
      tdp: true,
      plainStore,
    });
  }
  b.ret(`return;  /* the ${write ? 'write' : 'read'} is done */`);
  return {
    name: `vCPU${index}`,
    role: write
      ? `guest writes G${times > 1 ? ` ${times} times` : ''}; a write fault on a read-only or access-tracked SPTE takes the fast path`
      : 'guest reads G; a fault on an access-tracked SPTE takes the fast path, which restores R/X',
    vcpu: index,
    program: b.build(),
  };
}

function threads(v: Variant, k: KernelVersion): ThreadDef[] {
  switch (v) {
    case 'lifecycle':
      return [aging(k), vcpu(0, false, 1, k, false), vcpu(1, true, 2, k, false)];
    case 'non-atomic-restore':
      return [vcpu(0, false, 1, k, true), vcpu(1, true, 1, k, true)];
    case 'aging-window':
      return [aging(k), vcpu(1, true, 1, k, false)];
  }
}

function plan(v: Variant, k: KernelVersion): PlanStep[] {
  switch (v) {
    case 'lifecycle':
      return [
        {
          thread: 2,
          until: 'again1',
          text: '1. G is present and writable: vCPU1 writes it through the TLB, no fault.',
        },
        {
          thread: 0,
          text:
            k === '7.2'
              ? '2. Reclaim ages G (clear_flush_young, lockless in 7.2): read the SPTE, mark it for access tracking by cmpxchg64; no TLB flush (x86 selects KVM_ELIDE_TLB_FLUSH_IF_YOUNG).'
              : '2. Reclaim ages G (clear_flush_young): mmu_lock, read the SPTE, capture dirtiness from W, mark it for access tracking, flush the whole VM (flush_on_ret), unlock.',
        },
        {
          thread: 1,
          text: '3. vCPU0 reads G and faults; the fast path restores R and X from the saved bits by cmpxchg, leaving W clear; the read is retried.',
        },
        {
          thread: 2,
          text:
            k === '7.2'
              ? '4. vCPU1 writes G again through the writable translation it cached in step 1: no fault, because 7.2 did not flush after aging. Nothing is lost: 7.2 dirtied the folio when the pfn was faulted in.'
              : '4. vCPU1 writes G again and faults; the fast path sets W (MMU-writable is 1) by cmpxchg and marks G dirty; the write is retried.',
        },
      ];
    case 'non-atomic-restore':
      return [
        {
          thread: 0,
          until: 'cas',
          text: '1. G is access-tracked. vCPU0 reads G and faults; the fast path reads the SPTE and computes the restored value (R, X; W clear).',
        },
        {
          thread: 1,
          text: '2. vCPU1 writes G and faults; its fast path restores R/X and sets W, marks G dirty, and the retried write goes through.',
        },
        {
          thread: 0,
          text: '3. vCPU0 writes its restored value with a plain store, then retries its read.',
        },
      ];
    case 'aging-window':
      return [
        {
          thread: 0,
          until: k === '7.2' ? 'ag_cmpxchg' : 'ag_write',
          text: '1. Reclaim ages G: it reads the SPTE (W=0, write-protected for dirty logging), decides from that read whether to capture dirtiness, and computes the access-tracked value.',
        },
        {
          thread: 1,
          text: '2. vCPU1 writes G and faults; the fast path sets W by cmpxchg and marks G dirty; the retried write goes through.',
        },
        {
          thread: 0,
          text:
            k === '7.2'
              ? '3-4. Reclaim (7.2, lockless) tries to install the access-tracked value with cmpxchg64 against its step-1 read.'
              : '3-4. Reclaim writes the access-tracked value it computed in step 1, flushes, and unlocks.',
        },
      ];
  }
}

const build = builtIn<Variant>('access-tracking', (v, k) => ({
  machine: oneGfnMachine({
    spte: INITIAL[v],
    kernel: k,
    vcpus: 2,
    dirtyLogging: true,
    // A writable SPTE was marked dirty when it was made writable (make_spte).
    dirtyBitmap: v === 'lifecycle' ? 1 : 0,
  }),
  threads: threads(v, k),
  checks: ['lost-dirty-bit', 'lost-dirty-log', 'deadlock', 'lock-order', 'sleep-in-atomic'],
  plan: plan(v, k),
}));

export const accessTrackingScenario: ScenarioDef = {
  id: 'access-tracking',
  title: 'Lockless access tracking (EPT without A/D bits)',
  description:
    'locking.rst, "Lockless Access Tracking": with EPT but no A/D bits, kvm_mmu_notifier_clear_flush_young "marks the PTE not-present in hardware by clearing the RWX bits in the PTE and storing the original R & X bits"; the next access faults and "the fast page fault mechanism described above is used to atomically restore the PTE to a Present state". W is not saved: it only comes back on a write, through the dirty-tracking path. The life cycle (H9) runs on two vCPUs and host reclaim. The non-atomic-restore variant shows why the restore must be a cmpxchg. The aging-window variant is H4 of the model reference: a window found by reading the 6.8/6.12 code (aging decides about dirtiness from a read taken before the fast path sets W); the KVM-level loss follows from the code, whether data is really lost depends on the host PTE\'s dirtiness; with --kernel 7.2 the same story runs 7.2\'s lockless cmpxchg aging and fault-time dirtying. 6.8/6.12 flush the whole VM after aging (flush_on_ret); 7.2 on x86 does not flush at all (KVM_ELIDE_TLB_FLUSH_IF_YOUNG), so a vCPU may keep writing through a translation cached before aging.',
  docSection: 'Lockless Access Tracking; Fast page fault, 1) Access Tracking',
  variants: [
    {
      id: 'lifecycle',
      title: 'Life cycle: age, restore R/X, then W on a write (H9)',
      description:
        'Aging captures dirtiness from W and marks the SPTE for access tracking; a read fault restores R/X by cmpxchg; a write fault sets W and marks the gfn dirty.',
    },
    {
      id: 'non-atomic-restore',
      title: 'Restore with a plain store (hypothetical)',
      description:
        'The fast path writes its restored SPTE with a plain store: a concurrent fast path that set W is overwritten, and the page written through it is no longer dirty anywhere. In 7.2 the folio was already dirtied at fault time.',
    },
    {
      id: 'aging-window',
      title: 'Aging vs the fast path (H4, an inference from the 6.8/6.12 code)',
      description:
        'Aging reads W=0, so it does not call kvm_set_pfn_dirty; the fast path then sets W and the guest writes; aging\'s xchg overwrites W and ignores the value it returns. Reading 6.8/6.12, the KVM-level loss follows directly from the code: aging decides kvm_set_pfn_dirty from its first read and ignores what the xchg returns. Whether data is really lost depends on the host PTE\'s dirtiness, which the model does not track. 7.2 converts with cmpxchg64 ("stays young") and no longer dirties pages at aging time.',
    },
  ],
  build,
};
