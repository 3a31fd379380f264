import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { KernelVersion } from '../engine';
import { SCENARIOS, kernelsOf } from './catalog';
import { calledNames, definesFunction, uncheckedReason } from './kernelDefs';
import { showReport } from './show';

describe('calledNames', () => {
  it.each([
    ['if (!try_cmpxchg64(sptep, &old_spte, new_spte)) goto retry;', ['try_cmpxchg64']],
    ['write_unlock(&kvm->mmu_lock);  /* then kvm_release_pfn_clean(pfn) */', ['write_unlock']],
    ['sp = kvm_mmu_get_shadow_page(...);', ['kvm_mmu_get_shadow_page']],
    ['for (i = 0; i < n; i++) return sizeof(x);', []],
    ['if (FNAME(gpte_changed)(vcpu, gw, level)) goto out;', ['FNAME(gpte_changed)']],
    ['gfn = fault->gfn;', []],
  ])('%s', (text, names) => {
    expect(calledNames(text)).toEqual(names);
  });
});

describe('definesFunction', () => {
  const src = [
    'static bool fast_pf_fix_direct_spte(struct kvm_vcpu *vcpu,',
    '\t\t\t\t    u64 *sptep, u64 old_spte)',
    '{',
    '\treturn try_cmpxchg64(sptep, &old_spte, new_spte);',
    '}',
    'int kvm_only_declared(struct kvm *kvm);',
    'static void',
    'type_on_line_above(int a)',
    '{ }',
    'void called_only(void) { other_fn(1); }',
    '#define is_macro(x) ((x) + 1)',
    'static int FNAME(walk_addr)(struct guest_walker *walker, int a)',
    '{',
    '}',
    'void locked(struct kvm *kvm) __must_hold(&kvm->lock)',
    '{',
    '}',
  ].join('\n');
  it.each([
    ['fast_pf_fix_direct_spte', true],
    ['kvm_only_declared', false],
    ['type_on_line_above', true],
    ['called_only', true],
    ['other_fn', false],
    ['try_cmpxchg64', false],
    ['is_macro', true],
    ['FNAME(walk_addr)', true],
    ['FNAME(fetch)', false],
    ['walk_addr', false],
    ['locked', true],
    ['fast_pf', false],
  ])('%s → %s', (name, defined) => {
    expect(definesFunction(src, name)).toBe(defined);
  });
});

/**
 * The fidelity check (issue 10 §1): every op of every (scenario, variant,
 * kernel) instance names a function that the named file of that kernel's
 * tree defines. The trees live beside the checkout, in ../shared, in CI too.
 */
const KERNEL_ROOT = fileURLToPath(new URL('../../../shared/reference/kernel/', import.meta.url));
/** 6.8 has no tree here: its claims rest on the 6.12 code and the commits named in README's Fidelity section. */
const TREE: Record<KernelVersion, string | null> = { '6.8': null, '6.12': '6.12', '7.2': '7.2' };

const sources = new Map<string, string>();
function source(tree: string, file: string): string {
  const path = `${KERNEL_ROOT}${tree}/${file}`;
  let text = sources.get(path);
  if (text === undefined) sources.set(path, (text = readFileSync(path, 'utf8')));
  return text;
}

const instances = SCENARIOS.flatMap((s) =>
  s.variants.flatMap((v) => kernelsOf(s, v.id).map((k) => [s.id, v.id, k] as const)),
);

describe('every op names a function its kernel defines', () => {
  it('has the kernel trees', () => {
    expect(existsSync(`${KERNEL_ROOT}6.12/arch/x86/kvm/mmu/mmu.c`)).toBe(true);
    expect(existsSync(`${KERNEL_ROOT}7.2/arch/x86/kvm/mmu/mmu.c`)).toBe(true);
  });

  const unchecked = new Map<string, Set<string>>();
  it.each(instances)('%s / %s (%s)', (id, variant, kernel) => {
    const tree = TREE[kernel];
    const missing: string[] = [];
    for (const thread of showReport(id, variant, {}, kernel).threads)
      for (const op of thread.ops) {
        const why = uncheckedReason(
          op,
          kernel,
          (f) => tree !== null && existsSync(`${KERNEL_ROOT}${tree}/${f}`),
          tree,
        );
        if (why !== null) {
          const key = `${kernel} ${op.fn} (${op.file}): ${why}`;
          unchecked.set(key, (unchecked.get(key) ?? new Set()).add(`${id}/${variant}`));
        } else if (!definesFunction(source(tree ?? '', op.file), op.fn))
          missing.push(`${thread.name} op ${op.index}: ${op.fn} not defined in ${op.file}`);
      }
    expect(missing).toEqual([]);
  });

  // The unchecked ops are a short, known list: anything new must be added
  // here with its reason, which keeps "unchecked" from hiding a typo.
  it('checks all but the known unchecked ops', () => {
    const fns = new Set([...unchecked.keys()].filter((k) => !k.startsWith('6.8 ')));
    expect([...fns].sort()).toEqual(UNCHECKED_612_72);
    for (const key of unchecked.keys())
      if (key.startsWith('6.8 '))
        expect(key).toMatch(
          /(no 6\.8 source tree here|hypothetical: stands for no kernel function)$/,
        );
  });
});

const UNCHECKED_612_72: string[] = [
  '6.12 (a hypothetical exit handler) (arch/x86/kvm/x86.c): hypothetical: stands for no kernel function',
  '6.12 (a vm_list walker) (virt/kvm/kvm_main.c): hypothetical: stands for no kernel function',
  '6.12 QEMU (include/uapi/linux/kvm.h): userspace: not kernel code',
  '6.12 migrate_pages (mm/migrate.c): mm/migrate.c is not in the 6.12 reference tree',
  '6.12 shrink_folio_list (mm/vmscan.c): mm/vmscan.c is not in the 6.12 reference tree',
  '7.2 (a hypothetical exit handler) (arch/x86/kvm/x86.c): hypothetical: stands for no kernel function',
  '7.2 (a vm_list walker) (virt/kvm/kvm_main.c): hypothetical: stands for no kernel function',
  '7.2 QEMU (include/uapi/linux/kvm.h): userspace: not kernel code',
  '7.2 migrate_pages (mm/migrate.c): mm/migrate.c is not in the 7.2 reference tree',
  '7.2 shrink_folio_list (mm/vmscan.c): mm/vmscan.c is not in the 7.2 reference tree',
];

/**
 * Kernel API the ops call that is defined outside the trees here (kernel/,
 * mm/): named by name so that a KVM function that a version lacks is never
 * excused by being "generic".
 */
const asWord = (name: string) => new RegExp(`(?<!\\w)${name.replace(/[()]/g, '\\$&')}(?!\\w)`);

const OUTSIDE_TREE = new Set([
  'cpus_read_lock',
  'cpus_read_unlock',
  'try_to_unmap',
  'pageout',
  'migrate_folio',
]);

describe('every function an op calls exists in its kernel', () => {
  const treeText = new Map<string, string>();
  const words = (tree: string) => {
    let text = treeText.get(tree);
    if (text === undefined) {
      const dir = `${KERNEL_ROOT}${tree}/`;
      const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
        /\.[ch]$/.test(f),
      );
      text = files.map((f) => readFileSync(dir + f, 'utf8')).join('\n');
      treeText.set(tree, text);
    }
    return text;
  };
  const checked = instances.filter(([, , k]) => TREE[k] !== null);
  it.each(checked)('%s / %s (%s)', (id, variant, kernel) => {
    const text = words(TREE[kernel] ?? '');
    const missing: string[] = [];
    for (const thread of showReport(id, variant, {}, kernel).threads)
      for (const op of thread.ops)
        for (const name of op.origin === undefined ? calledNames(op.text) : [])
          if (!OUTSIDE_TREE.has(name) && !asWord(name).test(text))
            missing.push(
              `${thread.name} op ${op.index}: ${name}() is not in ${kernel}: ${op.text}`,
            );
    expect(missing).toEqual([]);
  });
});
