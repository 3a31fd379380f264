import { ProgramBuilder, withPlan, type ScenarioInstance } from '../engine';
import { FILES, lockOnlyMachine } from './kernel/refs';
import type { ScenarioDef } from './types';

type Variant = 'inverted' | 'documented';

/** P walks vm_list under kvm_lock and (inverted) triggers cpus_read_lock() inside it. */
function walker(v: Variant) {
  const b = new ProgramBuilder({ fn: 'kvm_hardware_enable_all', file: FILES.kvmMain });
  if (v === 'documented')
    b.lock(
      'cpus_read_lock',
      'read',
      'cpus_read_lock();  /* the official order: outside kvm_lock */',
    );
  b.lock('kvm_lock', 'excl', 'mutex_lock(&kvm_lock);  /* walk vm_list */');
  if (v === 'inverted')
    b.lock(
      'cpus_read_lock',
      'read',
      'cpus_read_lock();  /* triggered by a complex operation while walking vm_list */',
      'locking.rst (6.12): "it is quite easy to unknowingly trigger cpus_read_lock() while holding kvm_lock".',
    );
  b.rmw(['vm_list_walks'], '+', 1, undefined, 'list_for_each_entry(kvm, &vm_list, vm_list) ...;');
  b.unlock('cpus_read_lock', 'read', 'cpus_read_unlock();');
  b.unlock('kvm_lock', 'excl', 'mutex_unlock(&kvm_lock);');
  return { name: 'P', role: 'walks vm_list under kvm_lock', program: b.build() };
}

/** Q: a callback running with the hotplug lock held that takes kvm_lock (cpufreq notifier). */
function notifier() {
  const b = new ProgramBuilder({ fn: '__kvmclock_cpufreq_notifier', file: FILES.x86 });
  b.lock('cpus_read_lock', 'read', 'cpus_read_lock();  /* held by the caller */');
  b.lock('kvm_lock', 'excl', 'mutex_lock(&kvm_lock);');
  b.unlock('kvm_lock', 'excl', 'mutex_unlock(&kvm_lock);');
  b.unlock('cpus_read_lock', 'read', 'cpus_read_unlock();');
  return {
    name: 'Q',
    role: 'cpufreq notifier: kvm_lock inside cpus_read_lock',
    program: b.build(),
  };
}

function build(variant: string): ScenarioInstance {
  const v = variant as Variant;
  const inst: ScenarioInstance = {
    scenario: 'hotplug-order',
    variant,
    machine: lockOnlyMachine(
      [
        { name: 'kvm_lock', type: 'mutex' },
        { name: 'cpus_read_lock', type: 'rwsem' },
      ],
      [],
      { vm_list_walks: 0 },
    ),
    threads: [walker(v), notifier()],
    checks: ['deadlock', 'lock-order', 'sleep-in-atomic'],
    canonical: [],
    chapters: [],
  };
  return withPlan(inst, [
    {
      thread: 0,
      text:
        v === 'inverted'
          ? 'P takes kvm_lock, then cpus_read_lock() inside it.'
          : 'P takes cpus_read_lock(), then kvm_lock: the documented order.',
    },
    { thread: 1, text: 'Q, with cpus_read_lock() held, takes kvm_lock.' },
  ]);
}

export const hotplugOrderScenario: ScenarioDef = {
  id: 'hotplug-order',
  title: 'cpus_read_lock() vs kvm_lock',
  description:
    'locking.rst (6.12), "cpus_read_lock() vs kvm_lock": cpus_read_lock() is taken outside kvm_lock, but it is easy to trigger cpus_read_lock() while holding kvm_lock, e.g. while walking vm_list. A walker that does so inverts the order that a cpufreq notifier (kvm_lock inside the hotplug lock) follows. The runs here do not hang (a hotplug writer waiting on the rwsem, which would block new readers, is not modelled), but the inversion is reported, as lockdep would, against both the other thread and the document\'s declared order. 6.12 also split kvm_usage_lock out of kvm_lock so that enabling virtualization can take cpus_read_lock() under it.',
  docSection: 'Acquisition Orders: cpus_read_lock() vs kvm_lock',
  variants: [
    {
      id: 'inverted',
      title: 'cpus_read_lock() inside kvm_lock',
      description: 'The vm_list walker triggers cpus_read_lock() while holding kvm_lock.',
    },
    {
      id: 'documented',
      title: 'The documented order',
      description: 'The walker takes cpus_read_lock() outside kvm_lock, as locking.rst says.',
    },
  ],
  build,
};
