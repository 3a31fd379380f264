import { describe, expect, it } from 'vitest';
import { wrap } from './drawChrome';
import {
  categoryOf,
  fitText,
  opLabel,
  shortReason,
  stepName,
  stepRange,
  vcpuOwner,
  waitLabel,
} from './labels';

describe('opLabel', () => {
  it.each([
    ['old_spte = mmu_spte_get_lockless(sptep);', 40, 'old_spte = mmu_spte_get_lockless(sptep)'],
    ['KVM_MMU_LOCK(kvm);  /* write_lock(&kvm->mmu_lock) */', 40, 'KVM_MMU_LOCK(kvm)'],
    [
      'if (!try_cmpxchg64(sptep, &old_spte, new_spte)) goto retry;',
      40,
      'if (!try_cmpxchg64(…)) goto retry',
    ],
    [
      'kvm_mmu_invalidate_end: kvm->mmu_invalidate_seq++; smp_wmb();',
      60,
      'kvm_mmu_invalidate_end: kvm->mmu_invalidate_seq++',
    ],
    [
      'walk_shadow_page_lockless_begin(vcpu); retry_count = 0;',
      40,
      'walk_shadow_page_lockless_begin(vcpu)',
    ],
    ['guest: *gva = val;  /* store through the TLB / page walk */', 40, 'guest: *gva = val'],
    ['return;', 40, 'return'],
    ['/* only a comment */', 40, 'only a comment'],
    ['f(g(h(x)));', 6, 'f(…)'],
    ['kvm_flush_remote_tlbs();', 40, 'kvm_flush_remote_tlbs()'],
    // A condition is not collapsed: it is what a reader wants to see; it is cut instead.
    [
      'if (!(old_spte.Accessed == 1 && (old_spte.W == 0 || old_spte.Dirty == 1)))',
      24,
      'if (!(old_spte.Accessed…',
    ],
    [
      'if (is_accessed_spte(old_spte)) kvm_set_pfn_accessed(spte_to_pfn(old_spte));',
      40,
      'if (is_accessed_spte(…)) kvm_set_pfn_ac…',
    ],
  ])('%s (max %d) → %s', (text, max, label) => {
    expect(opLabel(text, max)).toBe(label);
  });
});

describe('fitText', () => {
  it.each([
    ['abcdef', 6, 'abcdef'],
    ['abcdef', 5, 'abcd…'],
    ['ab cdef', 4, 'ab…'],
    ['abcdef', 1, '…'],
    ['abcdef', 0, ''],
  ])('%s in %d → %s', (s, max, out) => {
    expect(fitText(s, max)).toBe(out);
  });
});

describe('wrap', () => {
  it.each([
    [
      'host reclaim: swaps out gfn1 and frees pfn1',
      20,
      2,
      ['host reclaim: swaps', 'out gfn1 and frees…'],
    ],
    ['short', 20, 2, ['short']],
    ['averyveryverylongword', 8, 2, ['averyve…']],
    ['a b c', 1, 3, ['a', 'b', 'c']],
  ])('%s in %d × %d', (text, width, lines, out) => {
    expect(wrap(text, width, lines)).toEqual(out);
  });
});

describe('categoryOf and shortReason', () => {
  it('maps op kinds to shapes, unknown kinds to control', () => {
    expect(categoryOf('cas')).toBe('atomic');
    expect(categoryOf('load')).toBe('read');
    expect(categoryOf('lock')).toBe('sync');
    expect(categoryOf('gup')).toBe('host');
    expect(categoryOf('new-kind' as 'nop')).toBe('control');
  });

  it('drops the "X cannot run:" prefix', () => {
    expect(shortReason('QEMU cannot run: mmu_lock (write) is held by kswapd')).toBe(
      'mmu_lock (write) is held by kswapd',
    );
  });
});

describe('step numbers', () => {
  it('step N is the op at index N - 1, as the counter counts', () => {
    expect(stepName(0)).toBe('step 1');
    expect(stepName(63)).toBe('step 64');
    expect(stepRange(4, 9)).toBe('steps 5–9');
    expect(stepRange(4, 5)).toBe('step 5');
  });
});

describe('vCPU slots are named after their threads', () => {
  // tlb-flush: thread vCPU1 runs on slot 0, vCPU2 on slot 1.
  const threads = [{ name: 'vCPU1', vcpu: 0 }, { name: 'QEMU' }, { name: 'vCPU2', vcpu: 1 }];
  it('names the owner, not the slot', () => {
    expect(vcpuOwner(threads, 0)).toBe('vCPU1');
    expect(vcpuOwner(threads, 1)).toBe('vCPU2');
    expect(vcpuOwner(threads, 2)).toBe('unused vCPU slot 2');
  });
  it('a flush waiting for a walker names the walking thread', () => {
    expect(
      waitLabel({ kind: 'flush', walkers: [0] }, ['vCPU1', 'QEMU', 'vCPU2'], (v) =>
        vcpuOwner(threads, v),
      ),
    ).toBe('TLB flush waits for vCPU1');
  });
});
