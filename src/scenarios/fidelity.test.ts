/**
 * Each correction of issue 10 §2, pinned: either the code now does what the
 * kernel does, or the scenario says what it simplifies. The function names
 * themselves are checked against the kernel trees in kernelDefs.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { SPTE, runSchedule, type Expr, type KernelVersion, type Op } from '../engine';
import { SCENARIOS, findScenario, instantiate, kernelsOf } from './catalog';

const instancesIn = (k: KernelVersion) =>
  SCENARIOS.flatMap((s) =>
    s.variants
      .filter((v) => kernelsOf(s, v.id).includes(k))
      .map((v) => instantiate(s.id, v.id, {}, k)),
  );
const ops = (id: string, v: string, k: KernelVersion, thread?: string): Op[] =>
  instantiate(id, v, {}, k)
    .threads.filter((t) => thread === undefined || t.name === thread)
    .flatMap((t) => t.program);
const describeOf = (id: string) => findScenario(id)?.description ?? '';
const variantOf = (id: string, v: string) => findScenario(id)?.variants.find((x) => x.id === v);

describe('hotplug-order: real function names per kernel', () => {
  it('no kernel has kvm_hardware_enable_all', () => {
    for (const k of ['6.8', '6.12', '7.2'] as const)
      for (const inst of instancesIn(k))
        for (const t of inst.threads)
          expect(t.program.map((o) => o.fn)).not.toContain('kvm_hardware_enable_all');
  });
  it('6.8 enables with hardware_enable_all, 6.12 and 7.2 with kvm_enable_virtualization', () => {
    expect(ops('hotplug-order', 'documented', '6.8', 'P')[0]?.fn).toBe('hardware_enable_all');
    for (const k of ['6.12', '7.2'] as const)
      expect(ops('hotplug-order', 'usage-lock', k, 'P')[0]?.fn).toBe('kvm_enable_virtualization');
  });
  it('the vm_list walker is marked hypothetical, and the backport is noted', () => {
    for (const k of ['6.8', '6.12', '7.2'] as const)
      expect(
        ops('hotplug-order', 'inverted', k, 'P').every((o) => o.origin === 'hypothetical'),
      ).toBe(true);
    expect(describeOf('hotplug-order')).toMatch(/backported to stable/);
  });
});

describe('aging flush per version', () => {
  const flushes = (k: KernelVersion) =>
    ops('access-tracking', 'lifecycle', k, 'kswapd').filter((o) => o.k === 'flush_tlbs');
  it('6.8 and 6.12 flush the whole VM (flush_on_ret), 7.2 does not flush', () => {
    for (const k of ['6.8', '6.12'] as const) {
      expect(flushes(k).map((o) => o.text)).toEqual([
        'if (range->flush_on_ret && r.ret) kvm_flush_remote_tlbs(kvm);  /* the whole VM */',
      ]);
    }
    expect(flushes('7.2')).toEqual([]);
  });
  it('what that changes: in 7.2 the second write hits the translation cached before aging', () => {
    const second = (k: KernelVersion) => {
      const inst = instantiate('access-tracking', 'lifecycle', {}, k);
      const w = inst.threads.findIndex((t) => t.name === 'vCPU1');
      const run = runSchedule(inst, inst.canonical, { complete: true });
      const guest = run.events.filter(
        (e) => e.thread === w && inst.threads[w]?.program[e.pc]?.k === 'access',
      );
      return { outcome: guest[1]?.outcome ?? '', violations: run.violations.length };
    };
    expect(second('6.12').outcome).toMatch(/fault/);
    expect(second('7.2').outcome).toMatch(/TLB hit/);
    expect(second('7.2').violations).toBe(0);
  });
});

describe('unsync: a write-tracked gfn still gets a read-only SPTE', () => {
  it('the slow path installs W=0, MMU-writable=0 and returns RET_PF_WRITE_PROTECTED', () => {
    const inst = instantiate('tlb-flush', 'reread', {}, '6.12');
    const shadower = inst.threads.findIndex((t) => t.name === 'vCPU2');
    const writer = inst.threads.findIndex((t) => t.name === 'vCPU1');
    // vCPU2 shadows G first (all its steps); vCPU1's write fault then finds
    // G write-protected by KVM and takes the slow path.
    let run = runSchedule(inst, [shadower]);
    while (run.events.at(-1)?.next !== inst.threads[shadower]?.program.length)
      run = runSchedule(inst, Array<number>(run.events.length + 1).fill(shadower));
    run = runSchedule(inst, run.schedule, { complete: true });
    const prog = inst.threads[writer]?.program ?? [];
    const mine = run.events.filter((e) => e.thread === writer);
    const installed = mine
      .filter((e) => prog[e.pc]?.fn === 'mmu_spte_update')
      .filter((e) => prog[e.pc]?.k === 'store' || prog[e.pc]?.k === 'xchg')
      .flatMap((e) => e.accesses.filter((a) => a.kind !== 'read'));
    expect(installed.length).toBe(1);
    const spte = installed[0]?.value ?? 0;
    expect(spte & SPTE.MMU_PRESENT).not.toBe(0);
    expect(spte & (SPTE.W | SPTE.MMU_WRITABLE)).toBe(0);
    const wp = mine.find((e) => prog[e.pc]?.text.includes('RET_PF_WRITE_PROTECTED) return'));
    expect(wp?.outcome).toMatch(/taken|yes/);
    expect(run.violations).toEqual([]);
  });
});

describe('7.2 slow path', () => {
  const vcpu1 = () => ops('aba', 'slow-path', '7.2', 'vCPU1');
  it('kvm_mmu_faultin_pfn → __kvm_mmu_faultin_pfn → __kvm_faultin_pfn; emulator_write_guest', () => {
    const fns = vcpu1().map((o) => o.fn);
    expect(fns).toEqual(
      expect.arrayContaining([
        'kvm_mmu_faultin_pfn',
        '__kvm_mmu_faultin_pfn',
        'emulator_write_guest',
      ]),
    );
    expect(vcpu1().some((o) => o.text.includes('__kvm_faultin_pfn('))).toBe(true);
    for (const o of vcpu1())
      expect(o.text).not.toMatch(/kvm_release_pfn_clean|__gfn_to_pfn_memslot|emulator_write_phys/);
  });
  it('kvm_release_faultin_page comes before write_unlock', () => {
    const prog = vcpu1();
    const release = prog.findIndex(
      (o) => o.fn === 'kvm_release_faultin_page' && o.k === 'put_page',
    );
    const unlock = prog.findIndex(
      (o, i) => i > release && o.k === 'unlock' && o.lock === 'mmu_lock',
    );
    expect(release).toBeGreaterThan(0);
    expect(prog.slice(release, unlock).every((o) => o.k !== 'unlock')).toBe(true);
  });
});

describe('mmu_set_spte updates a same-pfn SPTE through mmu_spte_update', () => {
  it.each(['6.8', '6.12', '7.2'] as const)('%s', (k) => {
    const prog = ops('aba', 'slow-path', k, 'vCPU1');
    expect(prog.map((o) => o.fn)).not.toContain('mmu_spte_update_no_track');
    const update = prog.filter((o) => o.fn === 'mmu_spte_update');
    // 6.8/6.12 move cleared A/D to the page; 7.2 dirtied the folio at fault time.
    expect(update.some((o) => o.text.includes('kvm_set_pfn_dirty'))).toBe(k !== '7.2');
    expect(
      prog.some(
        (o) => o.k === 'flush_tlbs' && o.text.startsWith('kvm_flush_remote_tlbs_gfn(vcpu->kvm'),
      ),
    ).toBe(true);
  });
});

describe("the zap's store", () => {
  const zaps = (id: string, v: string, k: KernelVersion) =>
    ops(id, v, k).filter(
      (o) => o.fn === 'mmu_spte_clear_track_bits' && (o.k === 'store' || o.k === 'xchg'),
    );
  it('6.8 stores 0ull, 6.12 SHADOW_NONPRESENT_VALUE', () => {
    for (const o of zaps('dirty-bit-loss', 'fixed', '6.8'))
      expect(o.text).toContain('(sptep, 0ull)');
    for (const o of zaps('dirty-bit-loss', 'fixed', '6.12'))
      expect(o.text).toContain('SHADOW_NONPRESENT_VALUE');
    // The original code (the buggy zapper) stored 0ull in every version.
    expect(zaps('dirty-bit-loss', 'buggy', '6.12').some((o) => o.text.includes('0ull'))).toBe(true);
  });
});

describe('stated simplifications and hypotheticals', () => {
  it('tlb-flush w-keyed is hypothetical', () => {
    expect(variantOf('tlb-flush', 'w-keyed')?.title).toMatch(/hypothetical/);
    expect(variantOf('tlb-flush', 'w-keyed')?.description).toMatch(/spte_is_locklessly_modifiable/);
  });
  it('tdp-mmu: leaves are never zapped by zap_collapsible_spte_range; handle_removed_pt since 6.1', () => {
    expect(describeOf('tdp-mmu')).toMatch(/Don't zap leaf SPTEs/);
    expect(describeOf('tdp-mmu')).toMatch(/6\.1 cycle/);
  });
  it('dirty-bit-scaled says the kernel retries a failed cmpxchg up to 4 times', () => {
    expect(describeOf('dirty-bit-scaled')).toMatch(/retries up to 4 times/);
  });
  it('H4 says what follows from the code and what depends on the host PTE', () => {
    expect(variantOf('access-tracking', 'aging-window')?.description).toMatch(
      /KVM-level loss follows directly from the code.*host PTE's dirtiness/,
    );
  });
});

describe('memslot update: slots_arch_lock, then synchronize_srcu', () => {
  it('kvm_set_memslot takes it, kvm_swap_active_memslots drops it before the grace period', () => {
    const prog = ops('srcu-deadlock', 'deadlock', '6.12', 'QEMU');
    const take = prog.findIndex((o) => o.k === 'lock' && o.lock === 'kvm->slots_arch_lock');
    const drop = prog.findIndex((o) => o.k === 'unlock' && o.lock === 'kvm->slots_arch_lock');
    const sync = prog.findIndex((o) => o.k === 'srcu_sync');
    expect(prog[take]?.fn).toBe('kvm_set_memslot');
    expect(prog[drop]?.fn).toBe('kvm_swap_active_memslots');
    expect(prog[sync]?.fn).toBe('kvm_swap_active_memslots');
    expect(take < drop && drop < sync).toBe(true);
  });
});

describe('7.2 SPTE helpers', () => {
  const calls = (e: Expr, name: string): boolean =>
    Array.isArray(e) && ((e[0] === 'fn' && e[1] === name) || e.some((x) => calls(x as Expr, name)));
  it('no 7.2 op evaluates or names is_dirty_spte (7.2 has none)', () => {
    for (const inst of instancesIn('7.2'))
      for (const o of inst.threads.flatMap((t) => t.program)) {
        expect(o.text).not.toContain('is_dirty_spte');
        expect(calls(Object.values(o) as unknown as Expr, 'is_dirty_spte')).toBe(false);
      }
  });
});

describe('also', () => {
  it('the TDP MMU fast path reads through kvm_tdp_mmu_fast_pf_get_last_sptep under RCU', () => {
    for (const k of ['6.12', '7.2'] as const)
      expect(
        ops('access-tracking', 'lifecycle', k).some((o) =>
          o.text.includes('kvm_tdp_mmu_fast_pf_get_last_sptep'),
        ),
      ).toBe(true);
  });
  it('kvm_mmu_track_write flushes before it unlocks', () => {
    const prog = ops('aba', 'buggy', '6.12', 'vCPU1').filter((o) => o.fn === 'kvm_mmu_track_write');
    const flush = prog.findIndex((o) => o.k === 'flush_tlbs');
    const unlock = prog.findIndex((o) => o.k === 'unlock');
    expect(flush).toBeGreaterThan(0);
    expect(flush).toBeLessThan(unlock);
  });
  it("aba's verdict does not rest on the early free: pfn1 is reused for gfn2 after invalidate_range_end", () => {
    const inst = instantiate('aba', 'buggy', {}, '6.12');
    const run = runSchedule(inst, inst.canonical, { complete: true });
    const opOf = (e: (typeof run.events)[number]) => inst.threads[e.thread]?.program[e.pc];
    const end = run.events.findIndex(
      (e) => opOf(e)?.fn === 'kvm_mmu_notifier_invalidate_range_end',
    );
    const reuse = run.events.findIndex((e) => /allocator returns pfn1/.test(e.outcome ?? ''));
    expect(end).toBeGreaterThan(0);
    expect(reuse).toBeGreaterThan(end);
    expect(run.violations.map((v) => v.kind)).toEqual(['lost-dirty-log']);
  });
});
