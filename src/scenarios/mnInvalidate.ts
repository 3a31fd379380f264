import { ProgramBuilder, type PlanStep } from '../engine';
import { builtIn } from './builtIn';
import { FILES, lockOnlyMachine } from './kernel/refs';
import type { ScenarioDef } from './types';

type Variant = 'notifier-takes-slots-lock' | 'documented';

/** H: an MMU notifier's invalidate_range_start ... _end pair, counted in mn_active_invalidate_count. */
function notifier(v: Variant) {
  const b = new ProgramBuilder({
    fn: 'kvm_mmu_notifier_invalidate_range_start',
    file: FILES.kvmMain,
  });
  b.lock('kvm->mn_invalidate_lock', 'excl', 'spin_lock(&kvm->mn_invalidate_lock);');
  b.rmw(['mn_active_invalidate_count'], '+', 1, undefined, 'kvm->mn_active_invalidate_count++;');
  b.unlock('kvm->mn_invalidate_lock', 'excl', 'spin_unlock(&kvm->mn_invalidate_lock);');
  b.label('work');
  if (v === 'notifier-takes-slots-lock') {
    b.lock(
      'kvm->slots_lock',
      'excl',
      'mutex_lock(&kvm->slots_lock);  /* forbidden in an MMU notifier */',
      'locking.rst: "MMU notifiers must not take either kvm->slots_lock or kvm->slots_arch_lock": the memslot update holds them while it waits for this notifier to finish.',
    );
    b.unlock('kvm->slots_lock', 'excl', 'mutex_unlock(&kvm->slots_lock);');
  } else b.nop('/* zap SPTEs under mmu_lock (not modelled here) */');
  b.in('kvm_mmu_notifier_invalidate_range_end', FILES.kvmMain, () => {
    b.lock('kvm->mn_invalidate_lock', 'excl', 'spin_lock(&kvm->mn_invalidate_lock);');
    b.rmw(
      ['mn_active_invalidate_count'],
      '+',
      -1,
      undefined,
      'kvm->mn_active_invalidate_count--;  /* 0: rcuwait_wake_up() */',
    );
    b.unlock('kvm->mn_invalidate_lock', 'excl', 'spin_unlock(&kvm->mn_invalidate_lock);');
  });
  return {
    name: 'H',
    role: 'MMU notifier: invalidate_range_start ... invalidate_range_end',
    program: b.build(),
  };
}

/** U: KVM_SET_USER_MEMORY_REGION, which waits for running notifiers before publishing. */
function update() {
  const b = new ProgramBuilder({ fn: 'kvm_set_memory_region', file: FILES.kvmMain });
  b.lock('kvm->slots_lock', 'excl', 'mutex_lock(&kvm->slots_lock);');
  b.in('kvm_set_memslot', FILES.kvmMain, () =>
    b.lock('kvm->slots_arch_lock', 'excl', 'mutex_lock(&kvm->slots_arch_lock);'),
  );
  b.in('kvm_swap_active_memslots', FILES.kvmMain, () => {
    b.await(
      ['==', ['ld', ['mn_active_invalidate_count']], 0],
      'mn_active_invalidate_count is 0',
      'while (kvm->mn_active_invalidate_count) { ... schedule(); ... }  /* sleeps holding slots_lock and slots_arch_lock */',
      'So that each invalidate_range_start/_end pair sees the same memslots.',
    );
    b.rmw(
      ['memslots_generation'],
      '+',
      1,
      undefined,
      'rcu_assign_pointer(kvm->memslots[as_id], slots);',
    );
    b.unlock(
      'kvm->slots_arch_lock',
      'excl',
      'mutex_unlock(&kvm->slots_arch_lock);  /* then synchronize_srcu_expedited(&kvm->srcu), not modelled here */',
    );
  });
  b.unlock('kvm->slots_lock', 'excl', 'mutex_unlock(&kvm->slots_lock);');
  return {
    name: 'U',
    role: 'memslot update: waits for mn_active_invalidate_count to reach 0',
    program: b.build(),
  };
}

const build = builtIn<Variant>('mn-invalidate', (v) => {
  const plan: PlanStep[] = [
    {
      thread: 0,
      until: 'work',
      text: '1. H: invalidate_range_start counts itself in mn_active_invalidate_count.',
    },
    // U's third step is the wait, which cannot complete while H is counted.
    {
      thread: 1,
      steps: 2,
      text:
        v === 'documented'
          ? '2. U takes slots_lock and slots_arch_lock and sleeps until the count is 0.'
          : '2. U takes slots_lock and slots_arch_lock and sleeps until the count is 0; H, between start and end, then calls mutex_lock(&kvm->slots_lock).',
    },
    ...(v === 'documented'
      ? [
          {
            thread: 0,
            text: '3. H finishes its work; invalidate_range_end decrements the count and wakes U if it reached 0.',
          },
          { thread: 1, text: '4. U publishes the new memslots and unlocks.' },
        ]
      : []),
  ];
  return {
    machine: lockOnlyMachine(
      [
        { name: 'kvm->slots_lock', type: 'mutex' },
        { name: 'kvm->slots_arch_lock', type: 'mutex' },
        { name: 'kvm->mn_invalidate_lock', type: 'spinlock' },
      ],
      [],
      { mn_active_invalidate_count: 0, memslots_generation: 0 },
    ),
    threads: [notifier(v), update()],
    checks: ['deadlock', 'lock-order', 'sleep-in-atomic'],
    plan,
  };
});

export const mnInvalidateScenario: ScenarioDef = {
  id: 'mn-invalidate',
  title: 'mn_active_invalidate_count: MMU notifiers must not take slots_lock',
  description:
    'locking.rst: kvm->mn_active_invalidate_count makes each invalidate_range_start()/invalidate_range_end() pair see the same memslots array; the memslot update waits for it while holding kvm->slots_lock and kvm->slots_arch_lock, so MMU notifiers must not take either lock. A notifier that takes slots_lock between start and end waits for the update, which waits for the notifier: a deadlock. (Model reference 5.5.)',
  docSection: 'Acquisition Orders: kvm->mn_active_invalidate_count',
  variants: [
    {
      id: 'notifier-takes-slots-lock',
      title: 'A notifier takes slots_lock',
      description:
        'Between invalidate_range_start and _end the notifier calls mutex_lock(&kvm->slots_lock).',
    },
    {
      id: 'documented',
      title: 'As documented',
      description: 'The notifier takes neither memslot lock.',
    },
  ],
  build,
};
