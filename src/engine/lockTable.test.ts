import { describe, expect, it } from 'vitest';
import { declaredOutside, lockInfo, lockReference } from './lockTable';

describe('lock reference', () => {
  it('has kvm_usage_lock from 6.12 on, and kvm_lock protecting more in 6.8', () => {
    expect(lockReference('6.8').some((l) => l.name === 'kvm_usage_lock')).toBe(false);
    expect(lockInfo('kvm_usage_lock', '6.12')?.protects).toMatch(/kvm_usage_count/);
    expect(lockInfo('kvm_lock', '6.8')?.protects).toMatch(/kvm_usage_count/);
    expect(lockInfo('kvm_lock', '6.12')?.protects).toBe('vm_list');
  });

  it('knows every lock the built-in scenarios use', () => {
    for (const name of ['mmu_lock', 'kvm->slots_lock', 'kvm->slots_arch_lock', 'kvm->srcu'])
      expect(lockInfo(name), name).toBeDefined();
    expect(lockInfo('mmu_lock')?.type).toMatch(/rwlock/);
  });
});

describe('declared order', () => {
  it('follows chains and versions', () => {
    expect(declaredOutside('kvm_usage_lock', 'kvm_lock', '6.12')).toBe(true);
    expect(declaredOutside('kvm_usage_lock', 'kvm_lock', '6.8')).toBe(false);
    expect(declaredOutside('kvm_lock', 'cpus_read_lock')).toBe(false);
    expect(declaredOutside('vcpu->mutex', 'kvm->slots_lock', '7.2')).toBe(true);
    expect(declaredOutside('vcpu->mutex', 'kvm->slots_lock', '6.12')).toBe(false);
  });
});
