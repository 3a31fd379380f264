import { ProgramBuilder } from '../engine';
import { builtIn } from './builtIn';
import { guestAccess } from './kernel/fault';
import { invalidateGfn } from './kernel/host';
import { zapOf } from './kernel/zap';
import { FILES, spteValue } from './kernel/refs';
import type { ScenarioDef } from './types';

type Variant = 'buggy' | 'fixed';

const build = builtIn<Variant>('dirty-bit-loss', (v, k) => {
  const zapper = new ProgramBuilder({ fn: 'kvm_unmap_gfn_range', file: FILES.mmu });
  invalidateGfn(zapper, {
    gfn: 0,
    slots: [0],
    zap: v === 'buggy' ? 'original' : zapOf(k),
    free: false,
  });
  const vcpu = new ProgramBuilder({ fn: 'kvm_mmu_page_fault', file: FILES.mmu });
  guestAccess(vcpu, { slot: 0, write: true, fast: 'direct', gfn: 0, kernel: k });
  vcpu.ret('return;  /* the write is done */');

  // The document's table, row by row (what each CPU does, not what results).
  return {
    machine: {
      gfnNames: ['gfn0'],
      pfns: 1,
      slots: [
        {
          name: 'gfn0',
          spte: spteValue.writeProtected(1, { accessed: true, dirty: false }),
          gfn: 0,
        },
      ],
      indirect: false,
      gptes: [],
      vcpus: 1,
      pages: [{ pfn: 1, gfn: 0 }],
      hostMap: { 0: 1 },
      dirtyLogging: true,
      locks: [{ name: 'mmu_lock', type: 'rwlock' }],
      srcu: [],
    },
    threads: [
      {
        name: 'kswapd',
        role: 'host reclaim: invalidate_range_start → kvm_unmap_gfn_range → mmu_spte_clear_track_bits',
        program: zapper.build(),
      },
      {
        name: 'vCPU1',
        role: 'guest write → write fault → fast_page_fault sets W → the write sets Dirty',
        vcpu: 0,
        program: vcpu.build(),
      },
    ],
    checks: ['lost-dirty-bit', 'lost-dirty-log', 'deadlock', 'lock-order', 'sleep-in-atomic'],
    plan: [
      {
        thread: 0,
        until: v === 'buggy' ? 'ct_store' : 'ct_xchg',
        text: 'CPU 0 (reclaim → kvm_unmap_gfn_range → mmu_spte_clear_track_bits): old_spte = *sptep, then decides between a plain store and xchg from old_spte.',
      },
      {
        thread: 1,
        text: 'CPU 1: the guest writes the page and faults; the fast page fault sets W with cmpxchg and marks the gfn dirty; the guest retries and its write sets the Dirty bit.',
      },
      {
        thread: 0,
        text: 'CPU 0 clears the SPTE as decided, then calls kvm_set_pfn_accessed/kvm_set_pfn_dirty according to old_spte; flush; unlock.',
      },
    ],
  };
});

export const dirtyBitLossScenario: ScenarioDef = {
  id: 'dirty-bit-loss',
  title: 'Dirty bit lost in mmu_spte_clear_track_bits',
  description:
    'locking.rst, "2) Dirty bit tracking": the original code zapped a read-only, Accessed SPTE with a plain store, because then "the Accessed bit and Dirty bit can not be lost". The fast page fault broke that: between the zap\'s read and its store, a vCPU sets W by cmpxchg and its write sets Dirty; the plain store wipes both and the page is never marked dirty. The fix treats any SPTE that can change outside mmu_lock as volatile and zaps it with xchg.',
  docSection: 'Fast page fault: 2) Dirty bit tracking',
  kernels: ['6.8', '6.12'],
  kernelNote:
    '7.2 no longer moves Accessed/Dirty to the page in mmu_spte_clear_track_bits; the folio is marked dirty at fault time (kvm_release_faultin_page), so the race has no per-page consequence by design (locking.rst 7.2 re-tables race 2 around mmu_spte_update)',
  variants: [
    {
      id: 'buggy',
      title: 'Original zap: plain store when Accessed=1 and W=0',
      description:
        'mmu_spte_clear_track_bits as before the fast page fault existed: an Accessed, read-only SPTE is cleared with a plain store and its Dirty bit taken from the earlier read.',
    },
    {
      id: 'fixed',
      title: 'Volatile SPTEs are cleared with xchg (6.12)',
      description:
        'spte_has_volatile_bits() says !W && MMU-writable is volatile, so the zap uses xchg and sees the W and Dirty bits set a moment ago.',
    },
  ],
  build,
};
