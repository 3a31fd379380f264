import { ProgramBuilder } from '../engine';
import { builtIn } from './builtIn';
import { guestAccess } from './kernel/fault';
import { invalidateGfn } from './kernel/host';
import { zapOf } from './kernel/zap';
import { FILES } from './kernel/refs';
import type { ScenarioDef } from './types';

type Variant = 'fixed' | 'no-recheck';

const build = builtIn<Variant>('notifier-retry', (v, k) => {
  const vcpu = new ProgramBuilder({ fn: 'kvm_mmu_page_fault', file: FILES.mmu });
  guestAccess(vcpu, {
    slot: 0,
    write: true,
    fast: 'direct',
    gfn: 0,
    noStaleCheck: v === 'no-recheck',
    kernel: k,
  });
  vcpu.ret('return;  /* the write is done */');
  const host = new ProgramBuilder({ fn: 'migrate_pages', file: 'mm/migrate.c' });
  invalidateGfn(host, { gfn: 0, slots: [0], zap: zapOf(k), free: false, migrate: true });
  return {
    machine: {
      gfnNames: ['G'],
      pfns: 2,
      slots: [{ name: 'G', spte: 0, gfn: 0 }],
      indirect: false,
      gptes: [],
      vcpus: 1,
      pages: [
        { pfn: 1, gfn: 0 },
        { pfn: 2, gfn: null },
      ],
      hostMap: { 0: 1 },
      dirtyLogging: false,
      locks: [{ name: 'mmu_lock', type: 'rwlock' }],
      srcu: [],
    },
    threads: [
      {
        name: 'vCPU0',
        role: 'write fault on G: slow path with mmu_invalidate_seq snapshot, GUP, mmu_lock',
        vcpu: 0,
        program: vcpu.build(),
      },
      {
        name: 'kcompactd',
        role: 'migrates the page of G: invalidate_range_start, copy, remap, invalidate_range_end',
        program: host.build(),
      },
    ],
    checks: ['stale-mapping', 'lost-dirty-bit', 'deadlock', 'lock-order', 'sleep-in-atomic'],
    plan: [
      {
        thread: 0,
        until: 'sl_lock',
        text: '1-3. The vCPU faults on G (not present): mmu_seq = mmu_invalidate_seq; GUP returns pfn1 and takes a reference.',
      },
      {
        thread: 1,
        text: '4-5. Migration of G: invalidate_range_start (nothing mapped to zap), copy pfn1 to a new page, the host PTE now points there, invalidate_range_end bumps mmu_invalidate_seq.',
      },
      {
        thread: 0,
        text:
          v === 'fixed'
            ? '6. Under mmu_lock, is_page_fault_stale compares mmu_invalidate_seq with the snapshot; then the vCPU maps G as the check decides.'
            : '6. Without the re-check, the vCPU installs the SPTE for the pfn GUP returned, then drops its reference.',
      },
    ],
  };
});

export const notifierRetryScenario: ScenarioDef = {
  id: 'notifier-retry',
  title: 'MMU-notifier invalidation vs a slow-path fault (mmu_invalidate_seq)',
  description:
    'A page fault looks up the pfn with GUP outside mmu_lock, so the host may invalidate and move the page meanwhile. The fault snapshots mmu_invalidate_seq before GUP and re-checks it under mmu_lock (is_page_fault_stale); invalidate_range_end bumps the sequence before it drops mmu_invalidate_in_progress. Without the re-check, KVM maps the old pfn after the host moved the gfn to a new one: guest and host see different memory, and once the reference is dropped the old frame is freed and reused while the guest still maps it. (Model reference H1; locking.rst\'s "mmu_lock" rules: a fault must re-check under the lock before installing an SPTE.)',
  docSection: 'Reference: mmu_lock; MMU notifiers',
  variants: [
    {
      id: 'fixed',
      title: 'Re-check under mmu_lock (6.12)',
      description:
        'is_page_fault_stale() sees the changed mmu_invalidate_seq and retries the fault, which then finds the new page.',
    },
    {
      id: 'no-recheck',
      title: 'No re-check: a stale mapping',
      description:
        'The is_page_fault_stale() check is left out: the fault installs the pfn it got before the migration.',
    },
  ],
  build,
};
