import { ProgramBuilder, type KernelVersion } from '../engine';
import { builtIn } from './builtIn';
import { FILES, lockOnlyMachine } from './kernel/refs';
import type { ScenarioDef } from './types';

type Variant = 'inverted' | 'documented' | 'usage-lock';

/**
 * P: in 6.8, `documented` is the real hardware_enable_all() (static in
 * kvm_main.c: cpus_read_lock(), then kvm_lock, then kvm_usage_count++; no
 * vm_list walk). Every other P is the walker locking.rst warns about, which
 * stands for no one kernel function: `origin: 'hypothetical'`.
 */
function walker(v: Variant, k: KernelVersion) {
  const real = v === 'documented' && k === '6.8';
  const b = new ProgramBuilder(
    real
      ? { fn: 'hardware_enable_all', file: FILES.kvmMain }
      : { fn: '(a vm_list walker)', file: FILES.kvmMain, origin: 'hypothetical' },
  );
  if (v === 'documented')
    b.lock(
      'cpus_read_lock',
      'read',
      'cpus_read_lock();  /* the official order: outside kvm_lock */',
    );
  b.lock(
    'kvm_lock',
    'excl',
    real ? 'mutex_lock(&kvm_lock);' : 'mutex_lock(&kvm_lock);  /* walk vm_list */',
  );
  if (v === 'inverted')
    b.lock(
      'cpus_read_lock',
      'read',
      'cpus_read_lock();  /* triggered by a complex operation while walking vm_list */',
      'locking.rst (6.12): "it is quite easy to unknowingly trigger cpus_read_lock() while holding kvm_lock".',
    );
  if (real)
    b.rmw(
      ['vm_list_walks'],
      '+',
      1,
      undefined,
      'kvm_usage_count++; on_each_cpu(hardware_enable_nolock, ...);',
    );
  else
    b.rmw(['vm_list_walks'], '+', 1, undefined, 'list_for_each_entry(kvm, &vm_list, vm_list) ...;');
  b.unlock('cpus_read_lock', 'read', 'cpus_read_unlock();');
  b.unlock('kvm_lock', 'excl', 'mutex_unlock(&kvm_lock);');
  return {
    name: 'P',
    role: real
      ? 'enables virtualization: hardware_enable_all() (6.8)'
      : 'walks vm_list under kvm_lock (hypothetical walker)',
    program: b.build(),
  };
}

/**
 * 6.12's kvm_enable_virtualization: kvm_usage_lock protects the count, so
 * the hotplug lock can be taken inside it without touching kvm_lock.
 */
function enabler() {
  const b = new ProgramBuilder({ fn: 'kvm_enable_virtualization', file: FILES.kvmMain });
  b.lock(
    'kvm_usage_lock',
    'excl',
    'guard(mutex)(&kvm_usage_lock);',
    'kvm_usage_lock exists so that cpus_read_lock() can be taken while kvm_usage_count is protected (locking.rst 6.12, Reference).',
  );
  b.rmw(['kvm_usage_count'], '+', 1, undefined, 'if (kvm_usage_count++) return 0;');
  b.lock(
    'cpus_read_lock',
    'read',
    'cpuhp_setup_state(CPUHP_AP_KVM_ONLINE, ...);  /* takes cpus_read_lock() */',
    'Order kvm_usage_lock → cpus_read_lock, as locking.rst (6.12) declares; kvm_lock is not involved.',
  );
  b.unlock('cpus_read_lock', 'read', 'cpus_read_unlock();');
  b.unlock('kvm_usage_lock', 'excl', 'mutex_unlock(&kvm_usage_lock);  /* end of guard */');
  return {
    name: 'P',
    role: 'enables virtualization under kvm_usage_lock (6.12)',
    program: b.build(),
  };
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

const build = builtIn<Variant>('hotplug-order', (v, k) => ({
  machine: lockOnlyMachine(
    [
      ...(v === 'usage-lock' ? [{ name: 'kvm_usage_lock', type: 'mutex' as const }] : []),
      { name: 'kvm_lock', type: 'mutex' },
      { name: 'cpus_read_lock', type: 'rwsem' },
    ],
    [],
    v === 'usage-lock' ? { kvm_usage_count: 0 } : { vm_list_walks: 0 },
  ),
  threads: [v === 'usage-lock' ? enabler() : walker(v, k), notifier()],
  checks: ['deadlock', 'lock-order', 'sleep-in-atomic'],
  plan: [
    {
      thread: 0,
      text:
        v === 'inverted'
          ? 'P takes kvm_lock, then cpus_read_lock() inside it.'
          : v === 'usage-lock'
            ? 'P takes kvm_usage_lock, bumps kvm_usage_count, then takes cpus_read_lock() to register the CPU hotplug callbacks.'
            : 'P takes cpus_read_lock(), then kvm_lock: the documented order.',
    },
    { thread: 1, text: 'Q, with cpus_read_lock() held, takes kvm_lock.' },
  ],
}));

export const hotplugOrderScenario: ScenarioDef = {
  id: 'hotplug-order',
  title: 'cpus_read_lock() vs kvm_lock',
  description:
    'locking.rst (6.12), "cpus_read_lock() vs kvm_lock": cpus_read_lock() is taken outside kvm_lock, but it is easy to trigger cpus_read_lock() while holding kvm_lock, e.g. while walking vm_list. A walker that does so inverts the order that a cpufreq notifier (kvm_lock inside the hotplug lock) follows. The runs here do not hang (a hotplug writer waiting on the rwsem, which would block new readers, is not modelled), but the inversion is reported, as lockdep would, against both the other thread and the document\'s declared order. The vm_list walker P stands for no one kernel function (marked hypothetical); in 6.8 the documented order is the real hardware_enable_all() (cpus_read_lock(), then kvm_lock, then kvm_usage_count++, no vm_list walk), which 6.12 renamed kvm_enable_virtualization. 6.12 also split kvm_usage_lock out of kvm_lock ("KVM: Use dedicated mutex to protect kvm_usage_count to avoid deadlock", backported to stable kernels) because of a cycle across three CPUs: kvm_lock → slots_lock (set_nx_huge_pages), slots_lock → synchronize_srcu (a memslot update), kvm->srcu → cpu_hotplug_lock (a vCPU in kvm_lapic_set_base), cpu_hotplug_lock → kvm_lock (enabling virtualization). That chain is not a variant here: the engine\'s lock-order check finds two-lock cycles only, and the hang needs a pending hotplug writer, which the model\'s rwsem lacks.',
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
    {
      id: 'usage-lock',
      title: 'Enabling under kvm_usage_lock (6.12)',
      description:
        'kvm_enable_virtualization takes kvm_usage_lock, then cpus_read_lock(): no kvm_lock, so no inversion with the cpufreq notifier.',
      kernels: ['6.12', '7.2'],
      kernelNote:
        'kvm_usage_lock was split out of kvm_lock in 6.12; in 6.8 kvm_lock protected kvm_usage_count and hardware enabling took cpus_read_lock() outside it',
    },
  ],
  build,
};
