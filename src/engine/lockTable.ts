/**
 * The lock reference of locking.rst (section 6 of the model reference), as
 * data: what each lock is, where it exists, what it protects. Kernel-version
 * differences are in `since` / `until` and in the per-version wording.
 */
export type KernelVersion = '6.8' | '6.12' | '7.2';

export interface LockInfo {
  name: string;
  type: string;
  arch: string;
  protects: string;
  source: string;
}

interface Entry extends LockInfo {
  since?: KernelVersion;
  /** Wording that differs by version. */
  protectsBy?: Partial<Record<KernelVersion, string>>;
}

/** The versions lockstep models, oldest first; 6.12 is the model's main version. */
export const KERNEL_VERSIONS: readonly KernelVersion[] = ['6.8', '6.12', '7.2'];
const ORDER = KERNEL_VERSIONS;

const ENTRIES: Entry[] = [
  {
    name: 'kvm_lock',
    type: 'mutex',
    arch: 'any',
    protects: 'vm_list',
    protectsBy: {
      '6.8':
        'vm_list, kvm_usage_count, and hardware virtualization enable/disable (CPU hotplug is disabled through cpus_read_lock() meanwhile)',
    },
    source: 'locking.rst, Reference',
  },
  {
    name: 'kvm_usage_lock',
    type: 'mutex',
    arch: 'any',
    since: '6.12',
    protects:
      'kvm_usage_count and hardware virtualization enable/disable; exists so that cpus_read_lock() can be taken while the count is protected',
    source: 'locking.rst, Reference',
  },
  {
    name: 'cpus_read_lock',
    type: 'per-CPU rwsem (cpu_hotplug_lock), read side',
    arch: 'any',
    protects: 'CPU hotplug exclusion',
    source: 'locking.rst, Acquisition Orders',
  },
  {
    name: 'kvm->lock',
    type: 'mutex',
    arch: 'any',
    protects:
      'VM-wide state of VM ioctls (the outermost per-VM lock); synchronize_srcu(&kvm->srcu) is called inside it',
    source: 'locking.rst, Acquisition Orders',
  },
  {
    name: 'vcpu->mutex',
    type: 'mutex',
    arch: 'any',
    protects:
      "one vCPU's ioctls, including KVM_RUN; synchronize_srcu(&kvm->srcu) is called inside it",
    source: 'locking.rst, Acquisition Orders',
  },
  {
    name: 'kvm->slots_lock',
    type: 'mutex',
    arch: 'any',
    protects:
      'memslot updates (and bus/irq setup); synchronize_srcu(&kvm->srcu) is called inside it, so it must not be taken inside a kvm->srcu read-side section',
    source: 'locking.rst, Acquisition Orders',
  },
  {
    name: 'kvm->slots_arch_lock',
    type: 'mutex',
    arch: 'any (needed on x86)',
    protects:
      'arch fields of memslots modified inside an SRCU read side; released before synchronize_srcu, so it may be taken inside kvm->srcu',
    source: 'locking.rst, Reference',
  },
  {
    name: 'kvm->irq_lock',
    type: 'mutex',
    arch: 'any',
    protects: 'irq routing and ack-notifier state',
    source: 'locking.rst, Acquisition Orders',
  },
  {
    name: 'kvm->mn_invalidate_lock',
    type: 'spinlock_t',
    arch: 'any',
    protects: 'mn_active_invalidate_count and mn_memslots_update_rcuwait',
    source: 'locking.rst, Reference',
  },
  {
    name: 'mmu_lock',
    type: 'rwlock_t on x86 (spinlock_t elsewhere)',
    arch: 'any',
    protects:
      'shadow pages, SPTEs, rmaps, the "shadow TLB" state and mmu_invalidate_*; the fast page fault changes SPTEs without it, by cmpxchg only',
    source: 'locking.rst, Reference',
  },
  {
    name: 'kvm->arch.tdp_mmu_pages_lock',
    type: 'spinlock_t',
    arch: 'x86',
    protects: 'TDP MMU page lists (roots, possible NX huge pages) while mmu_lock is held for read',
    source: 'locking.rst, Acquisition Orders',
  },
  {
    name: 'kvm->arch.mmu_unsync_pages_lock',
    type: 'spinlock_t',
    arch: 'x86',
    protects: 'marking shadow pages unsync when mmu_lock may be held only for read',
    source: 'locking.rst, Acquisition Orders',
  },
  {
    name: 'kvm->srcu',
    type: 'SRCU',
    arch: 'any',
    protects:
      'kvm->memslots and kvm->buses; the read lock is needed for gfn_to_* and MMIO/PIO bus lookups',
    source: 'locking.rst, Reference',
  },
  {
    name: 'kvm->irq_srcu',
    type: 'SRCU',
    arch: 'any',
    protects: 'irq routing (a separate domain)',
    source: 'virt/kvm',
  },
  {
    name: 'kvm_arch::tsc_write_lock',
    type: 'raw_spinlock_t',
    arch: 'x86',
    protects: 'last_tsc_write, last_tsc_nsec, last_tsc_offset and the TSC offset in the VMCB',
    source: 'locking.rst, Reference',
  },
  {
    name: 'wakeup_vcpus_on_cpu_lock',
    type: 'spinlock_t (per-CPU)',
    arch: 'x86',
    protects: 'the wakeup_vcpus_on_cpu list for VT-d posted-interrupt wakeups',
    source: 'locking.rst, Reference',
  },
  {
    name: 'vendor_module_lock',
    type: 'mutex',
    arch: 'x86',
    protects:
      'loading kvm_intel or kvm_amd; kvm_lock would deadlock there against cpu_hotplug_lock',
    source: 'locking.rst, Reference',
  },
];

/** The lock reference for a kernel version; the model's main version is 6.12. */
export function lockReference(version: KernelVersion = '6.12'): LockInfo[] {
  const at = ORDER.indexOf(version);
  return ENTRIES.filter((e) => e.since === undefined || ORDER.indexOf(e.since) <= at).map((e) => ({
    name: e.name,
    type: e.type,
    arch: e.arch,
    protects: e.protectsBy?.[version] ?? e.protects,
    source: e.source,
  }));
}

/** One lock's entry, matching a scenario's lock name (`mmu_lock` for `kvm->mmu_lock`). */
export function lockInfo(name: string, version: KernelVersion = '6.12'): LockInfo | undefined {
  const ref = lockReference(version);
  return (
    ref.find((l) => l.name === name) ??
    ref.find((l) => name.endsWith(l.name) || l.name.endsWith(name))
  );
}

/**
 * locking.rst's acquisition order as edges [outer, inner]: "A is taken outside
 * B". 6.12 added kvm_usage_lock outside cpus_read_lock; 7.2 added vcpu->mutex
 * outside the memslot locks.
 */
export function declaredOrder(version: KernelVersion = '6.12'): [string, string][] {
  const edges: [string, string][] = [
    ['cpus_read_lock', 'kvm_lock'],
    ['kvm->lock', 'vcpu->mutex'],
    ['kvm->lock', 'kvm->slots_lock'],
    ['kvm->lock', 'kvm->irq_lock'],
    ['kvm->slots_lock', 'kvm->irq_lock'],
    ['vcpu->mutex', 'kvm->arch.hyperv.hv_lock'],
    ['vcpu->mutex', 'kvm->arch.xen.xen_lock'],
    ['mmu_lock', 'kvm->arch.tdp_mmu_pages_lock'],
    ['mmu_lock', 'kvm->arch.mmu_unsync_pages_lock'],
  ];
  if (version !== '6.8') edges.push(['kvm_usage_lock', 'cpus_read_lock']);
  if (version === '7.2')
    edges.push(['vcpu->mutex', 'kvm->slots_lock'], ['vcpu->mutex', 'kvm->slots_arch_lock']);
  return edges;
}

/** Whether locking.rst orders `outer` outside `inner` (directly or through others). */
export function declaredOutside(
  outer: string,
  inner: string,
  version: KernelVersion = '6.12',
): boolean {
  const edges = declaredOrder(version);
  const seen = new Set<string>();
  const stack = [outer];
  while (stack.length > 0) {
    const a = stack.pop() as string;
    for (const [x, y] of edges)
      if (x === a && !seen.has(y)) {
        if (y === inner) return true;
        seen.add(y);
        stack.push(y);
      }
  }
  return false;
}
