import { ProgramBuilder } from '../engine';
import type { KernelVersion, MachineDef, PlanStep, ThreadDef } from '../engine';
import { builtIn } from './builtIn';
import { guestAccess, type FastPath } from './kernel/fault';
import { harvestDirtyLog, invalidateGfn } from './kernel/host';
import { clearTrackBits, zapOf } from './kernel/zap';
import { FILES, dirtiedAtFault, spteValue } from './kernel/refs';
import type { ScenarioDef } from './types';

/** gfn numbers: T holds the guest page table; gfn1 and gfn2 are data pages. */
const T = 0;
const GFN1 = 1;
const GFN2 = 2;

type AbaVariant = 'buggy' | 'pinned' | 'slow-path' | 'direct' | 'irq-off';

const FAST: Record<AbaVariant, FastPath> = {
  buggy: 'indirect',
  pinned: 'indirect-pinned',
  'slow-path': 'none',
  direct: 'direct',
  'irq-off': 'indirect-irqoff',
};

function machine(direct: boolean, k: KernelVersion): MachineDef {
  const s = spteValue.writeProtected(1, { accessed: true, dirty: true });
  return {
    gfnNames: ['T', 'gfn1', 'gfn2'],
    pfns: 3,
    // Indirect: one SPTE (gva0) of the shadow page for T, mapping gfn1 through gpte[0].
    // Direct: one SPTE per gfn, the gfn fixed by the slot.
    slots: direct
      ? [
          { name: 'gfn1', spte: s, gfn: GFN1 },
          { name: 'gfn2', spte: 0, gfn: GFN2 },
        ]
      : [{ name: 'gva0', spte: s, gfn: GFN1 }],
    indirect: !direct,
    gptes: direct ? [] : [GFN1],
    ...(direct ? {} : { gptGfn: T }),
    vcpus: 2,
    pages: [
      // 7.2 dirtied the folio when the fault that made this SPTE got pfn1 writable.
      { pfn: 1, gfn: GFN1, dirty: dirtiedAtFault(k) },
      { pfn: 2, gfn: null },
      { pfn: 3, gfn: T },
    ],
    hostMap: { [GFN1]: 1, [T]: 3 },
    dirtyLogging: true,
    locks: [{ name: 'mmu_lock', type: 'rwlock' }],
    srcu: [],
  };
}

function vcpu0(variant: AbaVariant, k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'kvm_mmu_page_fault', file: FILES.mmu });
  const direct = variant === 'direct';
  guestAccess(b, {
    slot: 0,
    write: true,
    fast: FAST[variant],
    ...(direct ? { gfn: GFN1 } : { gpte: 0 }),
    vcpu: 0,
    kernel: k,
  });
  b.ret('return;  /* the write is done */');
  return {
    name: 'vCPU0',
    role: direct
      ? 'guest writes gfn1 → write fault → fast_page_fault on a direct SP'
      : variant === 'slow-path'
        ? 'guest writes gva0 → write fault → FNAME(page_fault) (no fast path for indirect SPs)'
        : 'guest writes gva0 → write fault → fast page fault on an indirect SP (hypothetical)',
    vcpu: 0,
    program: b.build(),
  };
}

function reclaim(direct: boolean, k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'shrink_folio_list', file: FILES.vmscan });
  invalidateGfn(b, { gfn: GFN1, slots: direct ? [0, 1] : [0], zap: zapOf(k), free: true });
  return {
    name: 'kswapd',
    role: 'host reclaim: swaps out gfn1 and frees pfn1',
    program: b.build(),
  };
}

function vcpu1(direct: boolean, k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'kvm_mmu_page_fault', file: FILES.mmu });
  if (!direct) {
    // emulator_write_phys became emulator_write_guest in 6.13.
    b.in(k === '7.2' ? 'emulator_write_guest' : 'emulator_write_phys', FILES.x86, () => {
      b.gptWrite(
        0,
        GFN2,
        'guest: gpte[0] = gfn2;  /* T is shadowed: the store traps and is emulated */',
        'The guest points its PTE for gva0 at gfn2. KVM write-protects T because it shadows it, so the write is emulated.',
      );
      b.markDirty(T, 'kvm_vcpu_write_guest() → mark_page_dirty_in_slot(kvm, slot, T);');
    });
    b.in('kvm_mmu_track_write', FILES.mmu, () => {
      const skip = b.uniq('no_zap');
      b.lock('mmu_lock', 'write', 'write_lock(&vcpu->kvm->mmu_lock);');
      b.br(
        ['!', ['fn', 'is_shadow_present_pte', ['ld', ['spte', 0]]]],
        skip,
        'for_each_sp(..) if (is_shadow_present_pte(*spte))  /* SPTEs shadowing the written gpte */',
      );
      b.in('mmu_page_zap_pte', FILES.mmu, () => clearTrackBits(b, 0, zapOf(k)));
      b.flushTlbs(
        'kvm_mmu_remote_flush_or_zap(vcpu->kvm, &invalid_list, flush);  /* flush = true: before unlocking */',
      );
      b.label(skip);
      b.unlock('mmu_lock', 'write', 'write_unlock(&vcpu->kvm->mmu_lock);');
    });
  }
  guestAccess(b, {
    slot: direct ? 1 : 0,
    write: false,
    fast: 'none',
    ...(direct ? { gfn: GFN2 } : { gpte: 0 }),
    kernel: k,
  });
  b.ret('return;');
  return {
    name: 'vCPU1',
    role: direct
      ? 'guest reads gfn2 → slow path maps it (the host allocates a page for it)'
      : 'guest rewrites gpte[0] to gfn2, then reads gva0 → slow path maps gfn2',
    vcpu: 1,
    program: b.build(),
  };
}

function harvester(direct: boolean, k: KernelVersion): ThreadDef {
  const b = new ProgramBuilder({ fn: 'kvm_vm_ioctl_get_dirty_log', file: FILES.kvmMain });
  harvestDirtyLog(b, direct ? [0, 1] : [0], k);
  return {
    name: 'QEMU',
    role: 'userspace: KVM_GET_DIRTY_LOG (live migration harvest)',
    program: b.build(),
  };
}

const build = builtIn<AbaVariant>('aba', (v, k) => {
  const direct = v === 'direct';
  // The document's table, row by row. The text says what each actor does;
  // what happens (which cmpxchg succeeds, which bit is set) is the engine's.
  const documented: PlanStep[] = [
    v === 'slow-path'
      ? {
          thread: 0,
          until: 'sl_lock',
          text: '1. CPU 0: the guest writes gva0 and faults. No fast path for an indirect SP: FNAME(page_fault) walks the guest PTE (gfn1), snapshots mmu_invalidate_seq and GUPs the pfn, which takes a reference.',
        }
      : {
          thread: 0,
          until: 'cas',
          text: `1. CPU 0: the guest writes ${direct ? 'gfn1' : 'gva0'} and faults. Fast page fault: old_spte = *sptep; the gfn to mark dirty is taken now${v === 'pinned' ? '; the pfn is pinned' : ''}; new_spte = old_spte | W.`,
        },
    {
      thread: 1,
      text: '2. CPU 1 (reclaim): invalidate_range_start zaps the SPTE of gfn1 and flushes TLBs under mmu_lock; pfn1 is written to swap and freed unless something holds a reference; invalidate_range_end bumps mmu_invalidate_seq.',
    },
    ...(direct
      ? []
      : [
          {
            thread: 2,
            until: 'access',
            text: '4. The guest (vCPU1) changes gpte[0] to gfn2. T is shadowed, so the store traps; KVM emulates it and zaps the SPTEs that shadow the changed gpte.',
          },
        ]),
    {
      thread: 2,
      text: `3, 5. The guest touches ${direct ? 'gfn2' : 'gva0 (now gfn2)'}: the slow path GUPs gfn2, which allocates a page for it (the allocator hands out the most recently freed frame), builds the SPTE with make_spte and marks gfn2 dirty.`,
    },
    {
      thread: 3,
      text: '6. Userspace harvests the dirty log: xchg the bitmap word, write-protect the reported gfns (W cleared, MMU-writable kept), flush, copy the pages to the destination.',
    },
    {
      thread: 0,
      text: '7, 8. CPU 0 resumes: cmpxchg(sptep, old_spte, new_spte), mark_page_dirty() with the gfn it computed at step 1, and the guest retries its write.',
    },
  ];
  // With the interrupts-off walk the document's order cannot happen: reclaim's
  // flush waits for vCPU0, whose cmpxchg then fails on the zapped SPTE.
  const story: PlanStep[] =
    v === 'irq-off'
      ? [
          {
            thread: 0,
            until: 'cas',
            text: '1. CPU 0: the guest writes gva0 and faults. The fast path walks with interrupts off (READING_SHADOW_PAGE_TABLES) and reads old_spte; the gfn is taken now.',
          },
          {
            thread: 1,
            until: 'inv_flush',
            text: '2. CPU 1 (reclaim): invalidate_range_start zaps the SPTE under mmu_lock, then must flush TLBs: the IPI to CPU 0 waits until its walk ends.',
          },
          {
            thread: 0,
            until: 'sl_lock',
            text: 'CPU 0 resumes: cmpxchg against the value it read, then (as the result dictates) the end of the walk and the slow path: guest walk, mmu_invalidate_seq snapshot, GUP of the gfn (a page reference).',
          },
          {
            thread: 1,
            text: 'The flush completes; pfn1 is still referenced, so it is not freed; invalidate_range_end.',
          },
          {
            thread: 2,
            until: 'access',
            text: '4. The guest (vCPU1) changes gpte[0] to gfn2; KVM emulates the store and zaps.',
          },
          {
            thread: 2,
            text: '3, 5. vCPU1 touches gva0: the slow path maps gfn2 to a page of its own.',
          },
          { thread: 3, text: '6. Userspace harvests the dirty log.' },
          {
            thread: 0,
            text: 'CPU 0 retries under mmu_lock: the invalidation is seen, and the guest faults again on the current gpte.',
          },
        ]
      : documented;
  return {
    machine: machine(direct, k),
    threads: [vcpu0(v, k), reclaim(direct, k), vcpu1(direct, k), harvester(direct, k)],
    checks: ['lost-dirty-log', 'lost-dirty-bit', 'deadlock', 'lock-order', 'sleep-in-atomic'],
    plan: story,
  };
});

export const abaScenario: ScenarioDef = {
  id: 'aba',
  title: 'gfn→pfn ABA on the fast page fault',
  description:
    'locking.rst, "1) The mapping from gfn to pfn": the fast page fault checks only that the SPTE bits are unchanged, with cmpxchg. On an indirect shadow page the SPTE can be zapped, its pfn freed and reused for another gfn, and the SPTE rebuilt bit for bit identical, so the cmpxchg succeeds and mark_page_dirty() logs the old gfn: gfn2 is lost from the dirty bitmap. Four actors: vCPU0 faulting, kswapd reclaiming gfn1, vCPU1 re-pointing its guest PTE at gfn2, and QEMU harvesting the dirty log.',
  docSection: 'Fast page fault: 1) The mapping from gfn to pfn',
  variants: [
    {
      id: 'buggy',
      title: "Fast path on an indirect SP (the document's race)",
      description:
        'vCPU0 runs the fast page fault on an indirect shadow page and takes the gfn for mark_page_dirty() from the SP when it reads the SPTE; nothing is pinned.',
    },
    {
      id: 'pinned',
      title: 'Pin the pfn before the cmpxchg',
      description:
        'The solution locking.rst sketches: gfn_to_pfn_memslot_atomic() pins the pfn before the cmpxchg, so pfn1 cannot be freed and reused for gfn2; the pin must be the pfn the SPTE maps.',
    },
    {
      id: 'slow-path',
      title: 'No fast path for indirect SPs (what KVM does)',
      description:
        "vCPU0 takes FNAME(page_fault) under mmu_lock: the guest walk, the mmu_invalidate_seq snapshot and FNAME(fetch)'s re-check of the guest PTE make the stale gfn impossible.",
    },
    {
      id: 'irq-off',
      title: 'Interrupts-off lockless walk (a second defence)',
      description:
        "The hypothetical fast path walks as the shadow MMU really does, with interrupts off and vcpu->mode = READING_SHADOW_PAGE_TABLES. Reclaim's TLB flush in invalidate_range_start waits for that walk to end, so pfn1 cannot be freed and reused while CPU 0 sits between its read and its cmpxchg (an inference from the code, section 3.1 of the model; locking.rst does not mention it).",
    },
    {
      id: 'direct',
      title: 'Direct shadow page',
      description:
        "With a direct SP the gfn is fixed by the SPTE's position: gfn2 gets its own SPTE, so gfn1's SPTE never comes back with pfn1 and the cmpxchg fails.",
    },
  ],
  build,
};
