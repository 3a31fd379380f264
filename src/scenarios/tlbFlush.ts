import { ProgramBuilder, SPTE, type KernelVersion, type PlanStep } from '../engine';
import { builtIn } from './builtIn';
import { guestAccess } from './kernel/fault';
import { harvestDirtyLog } from './kernel/host';
import { FILES, atomicUpdateTest, oneGfnMachine, spteValue } from './kernel/refs';
import type { ScenarioDef } from './types';

type Variant = 'w-keyed' | 'mmu-writable' | 'stale-decision' | 'reread';

/** D2 (the fast-path angle) instead of D1 (the harvest's late flush). */
const isD2 = (v: Variant) => v === 'stale-decision' || v === 'reread';

/** vCPU2 starts shadowing G: spte_write_protect(pt_protect = true) and the flush rule. */
function shadower(v: Variant, k: KernelVersion) {
  const b = new ProgramBuilder({ fn: 'account_shadowed', file: FILES.mmu });
  b.lock(
    'mmu_lock',
    'write',
    'write_lock(&vcpu->kvm->mmu_lock);  /* a fault needs a shadow page for G */',
  );
  b.in('spte_write_protect', FILES.mmu, () => {
    b.load('s', ['spte', 0], 'spte = *sptep;');
    b.br(
      ['&&', ['!', ['fn', 'is_writable_pte', 's']], ['!', ['fn', 'is_mmu_writable_spte', 's']]],
      'built',
      'if (!is_writable_pte(spte) && !(pt_protect && is_mmu_writable_spte(spte))) return false;',
      'W is already 0 (the harvest cleared it) but MMU-writable is 1, so there is work to do.',
    );
  });
  b.label('update');
  if (v === 'stale-decision') {
    staleDecision(b);
    return shadowerThread(b);
  }
  const atomic = atomicUpdateTest(k);
  b.in('mmu_spte_update', FILES.mmu, () => {
    b.load(
      'old',
      ['spte', 0],
      'old_spte = *sptep;',
      'SU1: re-read: the value the update really replaces, including a W set by the fast path since spte_write_protect read it.',
    );
    b.br(['!', ['fn', atomic, 'old']], 'plain', `if (!${atomic}(old_spte)) goto plain;`);
    b.xchg(
      ['spte', 0],
      ['&', 's', ~(SPTE.W | SPTE.MMU_WRITABLE)],
      'old',
      'old_spte = __update_clear_spte_slow(sptep, spte & ~(PT_WRITABLE_MASK | shadow_mmu_writable_mask));',
    );
    b.jmp('decide', 'goto decide;');
    b.label('plain');
    b.store(
      ['spte', 0],
      ['&', 's', ~(SPTE.W | SPTE.MMU_WRITABLE)],
      '__update_clear_spte_fast(sptep, spte & ~(PT_WRITABLE_MASK | shadow_mmu_writable_mask));',
    );
    b.label('decide');
    if (v !== 'w-keyed')
      b.br(
        ['!', ['fn', 'is_mmu_writable_spte', 'old']],
        'built',
        k === '7.2'
          ? 'flush = leaf_spte_change_needs_tlb_flush(old_spte, new_spte);  /* old MMU-writable && !new MMU-writable */'
          : 'flush = is_mmu_writable_spte(old_spte) && !is_writable_pte(new_spte);',
        'The TLB rule keys on MMU-writable: a CPU may still cache a writable translation (from before the harvest, or made by the fast path a moment ago).',
      );
    else
      b.br(
        ['!', ['fn', 'is_writable_pte', 'old']],
        'built',
        'flush = is_writable_pte(old_spte) && !is_writable_pte(new_spte);  /* hypothetical: keyed on W */',
        'W was already 0, so this decides no flush is needed; but the harvest has not flushed yet.',
      );
  });
  return shadowerThread(b);
}

/**
 * D2's broken update: store the value computed from spte_write_protect's
 * read, and decide the flush on that read with a W-based test.
 */
function staleDecision(b: ProgramBuilder): void {
  b.in('mmu_spte_update', FILES.mmu, () => {
    b.store(
      ['spte', 0],
      ['&', 's', ~(SPTE.W | SPTE.MMU_WRITABLE)],
      '__update_clear_spte_fast(sptep, spte & ~(PT_WRITABLE_MASK | shadow_mmu_writable_mask));  /* hypothetical: no re-read */',
      'A plain store of a value computed from the earlier read: a W set by the fast path in between is overwritten, unseen.',
    );
    b.br(
      ['!', ['fn', 'is_writable_pte', 's']],
      'built',
      'flush = is_writable_pte(spte) && !is_writable_pte(new_spte);  /* decided on the earlier read */',
      'The read said W=0, so no flush; any CPU that cached W=1 since keeps it.',
    );
  });
}

function shadowerThread(b: ProgramBuilder) {
  b.flushTlbs(
    'kvm_flush_remote_tlbs_gfn(kvm, gfn, PG_LEVEL_4K);  /* before mmu_lock is released */',
  );
  b.label('built');
  b.store(
    ['ghost_shadowed', 0],
    1,
    "sp = kvm_mmu_get_shadow_page(...);  /* built from G's PTEs: KVM now relies on G being write-protected */",
  );
  b.unlock('mmu_lock', 'write', 'write_unlock(&vcpu->kvm->mmu_lock);');
  return {
    name: 'vCPU2',
    role: 'starts shadowing G as a guest page table: write-protects it (pt_protect)',
    vcpu: 1,
    program: b.build(),
  };
}

/** vCPU1 writes G twice; the second write is the guest editing G as a page table. */
function writer(v: Variant, k: KernelVersion) {
  const b = new ProgramBuilder({ fn: 'vcpu_enter_guest', file: FILES.x86 });
  if (isD2(v))
    guestAccess(b, {
      slot: 0,
      write: true,
      fast: 'direct',
      gfn: 0,
      vcpu: 0,
      kernel: k,
      mayBeShadowed: true,
    });
  else {
    b.access(0, true, 'f', 'guest: *G = data;  /* fills the TLB with a writable entry */');
    b.br(
      'f',
      'out',
      'if (fault) goto out;  /* (the fast path would make it writable; not modelled here) */',
    );
  }
  b.label('second');
  b.access(
    0,
    true,
    'f',
    'guest: *G = new_pte;  /* G is now one of its page tables */',
    'With a writable entry still in the TLB, the store needs no walk and KVM never sees it.',
  );
  b.label('out');
  b.ret('return;  /* a faulting write to a shadowed G is emulated (kvm_mmu_track_write) */');
  return {
    name: 'vCPU1',
    role: 'guest writes G, then writes it again after G became a page table',
    vcpu: 0,
    program: b.build(),
  };
}

const build = builtIn<Variant>('tlb-flush', (v, k) => {
  const d2 = isD2(v);
  const harvest = new ProgramBuilder({ fn: 'kvm_vm_ioctl_get_dirty_log', file: FILES.kvmMain });
  harvestDirtyLog(harvest, [0], k);
  // D1: writable, cached writable by vCPU1. D2: write-protected for dirty logging, cached by nobody.
  const s = spteValue.writeProtected(1, { accessed: true, dirty: true }) | (d2 ? 0 : SPTE.W);
  return {
    machine: oneGfnMachine({ spte: s, kernel: k, vcpus: 2, dirtyLogging: true, dirtyBitmap: 1 }),
    threads: [
      writer(v, k),
      ...(d2
        ? []
        : [
            {
              name: 'QEMU',
              role: 'KVM_GET_DIRTY_LOG: clears W (keeps MMU-writable), flushes after unlock',
              program: harvest.build(),
            },
          ]),
      shadower(v, k),
    ],
    checks: ['stale-tlb-write', 'deadlock', 'lock-order', 'sleep-in-atomic'],
    plan: d2 ? d2Plan(v) : d1Plan(),
  };
});

/** Model reference section 4, D1, row by row. */
function d1Plan(): PlanStep[] {
  return [
    {
      thread: 0,
      until: 'second',
      text: 'vCPU1 writes G: its TLB now holds a writable translation.',
    },
    {
      thread: 1,
      steps: 0,
      text: '1. The harvest takes mmu_lock, reports G and clears W (MMU-writable stays 1), and unlocks; its flush comes after the unlock.',
    },
    { thread: 1, until: 'flush_after_unlock' },
    {
      thread: 2,
      text: '2-3. vCPU2 starts shadowing G: write-protect with pt_protect, clear MMU-writable, decide whether to flush, build the shadow page.',
    },
    { thread: 0, text: '4. The guest writes G, now one of its page tables.' },
    { thread: 1, text: 'The harvest flushes and copies.' },
  ];
}

/** Model reference section 4, D2, row by row. */
function d2Plan(v: Variant): PlanStep[] {
  return [
    {
      thread: 1,
      until: 'update',
      text: '1. CPU 0 (vCPU2, mmu_lock held for write) starts shadowing G: spte_write_protect(pt_protect) reads the SPTE (W=0, MMU-writable=1) and computes the new value without W and MMU-writable.',
    },
    {
      thread: 0,
      until: 'second',
      text: '2. CPU 1 (vCPU1): the guest writes G and faults; the fast page fault sets W by cmpxchg and marks G dirty; the retried write fills the TLB.',
    },
    {
      thread: 1,
      text:
        v === 'reread'
          ? '3-4. CPU 0: mmu_spte_update re-reads the SPTE, stores the new value, decides the flush on the value it replaced, and builds the shadow page.'
          : '3-4. CPU 0 stores the value computed in step 1 without re-reading, decides the flush on the step-1 value, and builds the shadow page.',
    },
    { thread: 0, text: 'CPU 1: the guest writes G, now one of its page tables.' },
  ];
}

export const tlbFlushScenario: ScenarioDef = {
  id: 'tlb-flush',
  title: 'TLB flush after writable → read-only: keyed on MMU-writable, not W',
  description:
    'locking.rst and spte.h: when an SPTE that was MMU-writable becomes read-only, TLBs must be flushed before mmu_lock is released, because dirty logging clears only W and flushes after unlocking. A harvest clears W of G while vCPU1 still caches a writable translation; then vCPU2 starts shadowing G and clears MMU-writable. A flush decided on W (already 0) skips the flush, and vCPU1 keeps writing G, now a guest page table, through its stale TLB entry: KVM never sees the write. (Model reference section 4, D1.)',
  docSection: 'Fast page fault: the MMU-writable bit; spte.h above is_writable_pte',
  variants: [
    {
      id: 'w-keyed',
      title: 'Flush keyed on W (hypothetical)',
      description:
        'mmu_spte_update decides the flush with old W && !new W: W was already cleared by the harvest, so no flush. No release is known to have had this key: since the fast page fault arrived (3.5) it was spte_is_locklessly_modifiable (Host- and MMU-writable), and 6.12 keys on MMU-writable. The variant shows why the key cannot be W.',
    },
    {
      id: 'mmu-writable',
      title: 'Flush keyed on MMU-writable (6.12)',
      description:
        'flush = old MMU-writable && !new W: the stale writable TLB entry is flushed before mmu_lock is released.',
    },
    {
      id: 'stale-decision',
      title: 'D2: store and flush decided on a stale read (hypothetical)',
      description:
        'No harvest. spte_write_protect reads W=0; the fast path then sets W and the guest caches it; the update stores without re-reading and decides "no flush" on the old W=0.',
    },
    {
      id: 'reread',
      title: 'D2: mmu_spte_update re-reads and flushes (6.12)',
      description:
        'The same race against the fast path, with the real code: mmu_spte_update re-reads the SPTE, sees the new W=1 and MMU-writable, and flushes.',
    },
  ],
  build,
};
