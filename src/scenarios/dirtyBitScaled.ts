import { ProgramBuilder, SPTE, type ThreadDef } from '../engine';
import { builtIn } from './builtIn';
import { clearTrackBits, zapOf } from './kernel/zap';
import { FILES, spteValue } from './kernel/refs';
import type { ScenarioDef } from './types';

type Variant = 'buggy' | 'fixed';

/** vCPU i: a write fast page fault on SPTE i, then k guest writes through it. */
function vcpu(i: number, k: number): ThreadDef {
  const b = new ProgramBuilder({ fn: 'fast_page_fault', file: FILES.mmu });
  const spte = ['spte', i] as const;
  b.load('old', spte, 'old_spte = mmu_spte_get_lockless(sptep);');
  b.br(
    [
      '!',
      [
        '&&',
        ['fn', 'is_shadow_present_pte', 'old'],
        ['&&', ['!', ['fn', 'is_writable_pte', 'old']], ['fn', 'is_mmu_writable_spte', 'old']],
      ],
    ],
    'done',
    'if (!is_shadow_present_pte(old_spte) || is_writable_pte(old_spte) || !is_mmu_writable_spte(old_spte)) return;',
  );
  b.cas(
    spte,
    'old',
    ['|', 'old', SPTE.W],
    'ok',
    'if (!try_cmpxchg64(sptep, &old_spte, old_spte | PT_WRITABLE_MASK)) return;',
  );
  b.br(['!', 'ok'], 'done', 'if (cmpxchg failed) return;  /* give up */');
  b.in('vcpu_enter_guest', FILES.x86, () => {
    for (let w = 0; w < k; w++) {
      b.access(
        i,
        true,
        'fault',
        `guest: *gva${i} = val${w + 1};  /* walks to the SPTE: lands only while present and writable */`,
      );
      b.br('fault', 'done', 'if (fault) return;  /* the SPTE is gone */');
    }
  });
  b.label('done');
  b.ret('return;');
  return {
    name: `vCPU${i}`,
    role: `fast page fault on SPTE ${i}, then ${k} write(s)`,
    vcpu: i,
    program: b.build(),
  };
}

const build = builtIn<Variant>('dirty-bit-scaled', (v, kernel, params) => {
  const n = params['n'] ?? 2;
  const k = params['k'] ?? 1;
  const zap = new ProgramBuilder({ fn: 'kvm_unmap_gfn_range', file: FILES.mmu });
  zap.lock('mmu_lock', 'write', 'write_lock(&kvm->mmu_lock);');
  for (let i = 0; i < n; i++) clearTrackBits(zap, i, v === 'buggy' ? 'original' : zapOf(kernel));
  zap.unlock('mmu_lock', 'write', 'write_unlock(&kvm->mmu_lock);');
  const names = Array.from({ length: n }, (_, i) => `gfn${i}`);
  return {
    machine: {
      gfnNames: names,
      pfns: n,
      slots: names.map((name, i) => ({
        name,
        spte: spteValue.writeProtected(i + 1, { accessed: true, dirty: false }),
        gfn: i,
      })),
      indirect: false,
      gptes: [],
      vcpus: n,
      tlb: false,
      pages: names.map((_, i) => ({ pfn: i + 1, gfn: i })),
      hostMap: Object.fromEntries(names.map((_, i) => [i, i + 1])),
      dirtyLogging: false,
      locks: [{ name: 'mmu_lock', type: 'rwlock' }],
      srcu: [],
    },
    threads: [
      {
        name: 'host',
        role: `zaps SPTE 0 .. ${n - 1} with mmu_spte_clear_track_bits`,
        program: zap.build(),
      },
      ...names.map((_, i) => vcpu(i, k)),
    ],
    checks: ['lost-dirty-bit', 'deadlock'],
    plan: [
      {
        thread: 0,
        until: v === 'buggy' ? 'ct_store' : 'ct_xchg',
        text: 'The host reads SPTE 0 and decides between a plain store and xchg.',
      },
      { thread: 1, text: 'vCPU0: cmpxchg to set W on SPTE 0, then its guest writes.' },
      { thread: 0, text: 'The host clears SPTE 0 as decided and the remaining SPTEs.' },
      ...names.slice(1).map((_, i) => ({
        thread: i + 2,
        text: `vCPU${i + 1} reads its SPTE and tries its fast page fault.`,
      })),
    ],
  };
});

export const dirtyBitScaledScenario: ScenarioDef = {
  id: 'dirty-bit-scaled',
  title: 'Dirty-bit loss, scaled: n SPTEs, n vCPUs, k writes each',
  description:
    'The race of locking.rst "2) Dirty bit tracking", generalised for the model checker. n SPTEs start present, read-only, Accessed, Host- and MMU-writable, not Dirty; dirty logging is off and vCPUs have no TLB. vCPU i sets W on SPTE i with cmpxchg (if it is still present, read-only and MMU-writable) and makes k writes through it, each landing only while the SPTE is present and writable and setting Dirty. One host CPU zaps SPTE 0 .. n-1 in turn with mmu_spte_clear_track_bits. The SPTEs are independent of one another, which a good reduction sees. Simplified: a vCPU whose cmpxchg fails gives up, where fast_page_fault retries up to 4 times before the slow path; a retry would only find the SPTE zapped (non-present) and go to the slow path, which this family leaves out.',
  docSection: 'Fast page fault: 2) Dirty bit tracking',

  kernels: ['6.8', '6.12'],
  kernelNote:
    '7.2 no longer moves Accessed/Dirty to the page in mmu_spte_clear_track_bits; the folio is marked dirty at fault time (kvm_release_faultin_page), so the race has no per-page consequence by design (locking.rst 7.2 re-tables race 2 around mmu_spte_update)',
  params: [
    { name: 'n', description: 'SPTEs and vCPUs', default: 2, min: 1, max: 12 },
    { name: 'k', description: 'guest writes per vCPU', default: 1, min: 1, max: 8 },
  ],
  variants: [
    {
      id: 'buggy',
      title: 'Original zap: plain store when Accessed=1 and W=0',
      description:
        'The host clears each SPTE with the original mmu_spte_clear_track_bits: a plain store when Accessed=1 and W=0.',
    },
    {
      id: 'fixed',
      title: 'Volatile SPTEs are cleared with xchg (6.12)',
      description: 'spte_has_volatile_bits() makes each zap an xchg.',
    },
  ],
  build,
};
