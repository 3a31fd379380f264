import { ProgramBuilder, type PlanStep } from '../engine';
import { builtIn } from './builtIn';
import { FILES, lockOnlyMachine } from './kernel/refs';
import type { ScenarioDef } from './types';

type Variant = 'deadlock' | 'timing' | 'slots-arch-lock';

/** Thread A: a vCPU handling an exit inside kvm->srcu takes a memslot lock. */
function vcpu(lock: string) {
  const b = new ProgramBuilder({ fn: 'kvm_arch_vcpu_ioctl_run', file: FILES.x86 });
  b.srcuReadLock(
    'kvm->srcu',
    'idx',
    'vcpu->srcu_idx = srcu_read_lock(&kvm->srcu);',
    'KVM_RUN holds kvm->srcu for all exit handling.',
  );
  b.in(
    lock === 'kvm->slots_arch_lock'
      ? 'mmu_first_shadow_root_alloc'
      : { fn: '(a hypothetical exit handler)', file: FILES.x86, origin: 'hypothetical' },
    lock === 'kvm->slots_arch_lock' ? FILES.mmu : FILES.x86,
    () => {
      b.label('lock');
      b.lock(
        lock,
        'excl',
        `mutex_lock(&${lock});`,
        lock === 'kvm->slots_arch_lock'
          ? 'Allowed: slots_arch_lock is released before synchronize_srcu.'
          : 'Forbidden by locking.rst: synchronize_srcu(&kvm->srcu) runs inside this lock.',
      );
      b.unlock(lock, 'excl', `mutex_unlock(&${lock});`);
    },
  );
  b.srcuReadUnlock('kvm->srcu', 'srcu_read_unlock(&kvm->srcu, vcpu->srcu_idx);');
  return {
    name: 'vCPU0',
    role: `exit handling inside kvm->srcu takes ${lock}`,
    program: b.build(),
  };
}

/** Thread B: KVM_SET_USER_MEMORY_REGION. */
function memslotUpdate() {
  const b = new ProgramBuilder({ fn: 'kvm_set_memory_region', file: FILES.kvmMain });
  b.lock('kvm->slots_lock', 'excl', 'mutex_lock(&kvm->slots_lock);');
  // kvm_set_memslot takes slots_arch_lock; kvm_swap_active_memslots publishes,
  // drops it, then waits for SRCU readers (kvm_main.c, 6.12 and 7.2).
  b.in('kvm_set_memslot', FILES.kvmMain, () =>
    b.lock('kvm->slots_arch_lock', 'excl', 'mutex_lock(&kvm->slots_arch_lock);'),
  );
  b.in('kvm_swap_active_memslots', FILES.kvmMain, () => {
    b.rmw(
      ['memslots_generation'],
      '+',
      1,
      undefined,
      'rcu_assign_pointer(kvm->memslots[as_id], slots);  /* publish the new memslots */',
    );
    b.unlock(
      'kvm->slots_arch_lock',
      'excl',
      'mutex_unlock(&kvm->slots_arch_lock);  /* before synchronize_srcu */',
    );
    b.label('sync');
    b.synchronizeSrcu(
      'kvm->srcu',
      'synchronize_srcu_expedited(&kvm->srcu);',
      'Waits for every kvm->srcu reader that entered before this call, while holding slots_lock.',
    );
  });
  b.unlock('kvm->slots_lock', 'excl', 'mutex_unlock(&kvm->slots_lock);');
  return {
    name: 'QEMU',
    role: 'KVM_SET_USER_MEMORY_REGION: slots_lock, then synchronize_srcu',
    program: b.build(),
  };
}

const build = builtIn<Variant>('srcu-deadlock', (v) => {
  const plan: PlanStep[] =
    v === 'timing'
      ? [
          {
            thread: 1,
            until: 'sync',
            text: 'B takes slots_lock, publishes the new memslots and drops slots_arch_lock.',
          },
          {
            thread: 1,
            text: 'B: synchronize_srcu starts a grace period before A has entered kvm->srcu, waits for the readers it snapshotted, then unlocks.',
          },
          {
            thread: 0,
            text: 'A enters kvm->srcu after the grace period started, then takes slots_lock.',
          },
        ]
      : [
          {
            thread: 0,
            until: 'lock',
            text: 'A (a vCPU handling an exit): srcu_read_lock(&kvm->srcu).',
          },
          {
            thread: 1,
            until: 'sync',
            text: 'B (KVM_SET_USER_MEMORY_REGION): slots_lock, publish the new memslots, drop slots_arch_lock.',
          },
          {
            thread: 1,
            steps: 1,
            text:
              v === 'slots-arch-lock'
                ? 'B: synchronize_srcu starts a grace period, which must wait for A.'
                : 'B: synchronize_srcu starts a grace period, which must wait for A; A then needs slots_lock, which B holds.',
          },
          ...(v === 'slots-arch-lock'
            ? [
                {
                  thread: 0,
                  text: 'A takes slots_arch_lock, which B dropped before synchronize_srcu, and leaves kvm->srcu.',
                },
                {
                  thread: 1,
                  text: 'B: synchronize_srcu returns when its readers have left; B unlocks slots_lock.',
                },
              ]
            : []),
        ];
  return {
    machine: lockOnlyMachine(
      [
        { name: 'kvm->slots_lock', type: 'mutex' },
        { name: 'kvm->slots_arch_lock', type: 'mutex' },
      ],
      ['kvm->srcu'],
      { memslots_generation: 0 },
    ),
    threads: [
      vcpu(v === 'slots-arch-lock' ? 'kvm->slots_arch_lock' : 'kvm->slots_lock'),
      memslotUpdate(),
    ],
    checks: ['deadlock', 'lock-order', 'srcu-rule', 'sleep-in-atomic'],
    plan,
  };
});

export const srcuDeadlockScenario: ScenarioDef = {
  id: 'srcu-deadlock',
  title: 'SRCU: a lock taken inside kvm->srcu that synchronize_srcu runs under',
  description:
    'locking.rst, "For SRCU": synchronize_srcu(&kvm->srcu) is called inside kvm->lock, vcpu->mutex and kvm->slots_lock, so those locks cannot be taken inside a kvm->srcu read-side section; kvm->slots_arch_lock is released before synchronize_srcu and can. A vCPU handling an exit (inside kvm->srcu) takes slots_lock while a memslot update holds it and waits for the grace period: each waits for the other. Lockdep-style checks flag the order even on a run that does not hang.',
  docSection: 'Acquisition Orders: For SRCU',
  variants: [
    {
      id: 'deadlock',
      title: 'slots_lock inside kvm->srcu: the deadlock',
      description:
        'The vCPU takes kvm->slots_lock inside its read-side section, and the grace period started while it was inside.',
    },
    {
      id: 'timing',
      title: 'The same order, timed so it does not hang',
      description:
        'The vCPU enters kvm->srcu after the grace period started, so the grace period does not wait for it; the run completes, and the order is still flagged.',
    },
    {
      id: 'slots-arch-lock',
      title: 'slots_arch_lock inside kvm->srcu: safe',
      description:
        'The vCPU takes kvm->slots_arch_lock (as mmu_first_shadow_root_alloc does), which the update drops before synchronize_srcu.',
    },
  ],
  build,
};
