import type { MachineDef } from './model';
import { ScenarioError } from './errors';
import { addRingArrays } from './dirtyRing';

/**
 * The machine's memory as one flat Int32Array: every SPTE, bitmap word, page
 * flag, TLB entry, lock word and ghost flag has a fixed index. A state is then
 * a single typed array that copies with `slice` and hashes by its bytes, which
 * is what exhaustive exploration needs.
 */

export interface ArraySpec {
  base: number;
  len: number;
  /** Names each element for messages, e.g. `spte[gva0]`. */
  label: (i: number) => string;
  ghost?: boolean;
}

/** The arrays of every machine (beside lock and SRCU words and scenario vars). */
export const ARRAY_NAMES = [
  'spte',
  'spgfn',
  'gpte',
  'hostmap',
  'swap',
  'page_owner',
  'page_data',
  'page_ref',
  'page_dirty',
  'page_accessed',
  'page_free',
  'vcpu_mode',
  'tlb',
  'ghost_pending',
  'ghost_written',
  'ghost_shadowed',
  'ghost_stale_write',
] as const;

export const SCALAR_NAMES = [
  'dirty_bitmap',
  'dirty_logging',
  'alloc_stamp',
  'mmu_invalidate_seq',
  'mmu_invalidate_in_progress',
  /** The invalidated gfn range [start, end), modelled as the set of gfns it covers. */
  'mmu_invalidate_range',
] as const;

export const VCPU_MODE = { OUTSIDE_GUEST_MODE: 0, IN_GUEST_MODE: 1, READING_SHADOW_PAGE_TABLES: 2 };

export class Layout {
  readonly arrays = new Map<string, ArraySpec>();
  readonly size: number;
  private readonly names: string[] = [];

  constructor(readonly machine: MachineDef) {
    const m = machine;
    const nGfn = m.gfnNames.length;
    const nSlot = m.slots.length;
    const gfnLabel = (i: number) => m.gfnNames[i] ?? `gfn${i}`;
    const slotLabel = (i: number) => m.slots[i]?.name ?? `${i}`;
    let base = 0;
    const add = (name: string, len: number, label: (i: number) => string, ghost = false) => {
      const spec: ArraySpec = { base, len, label, ghost };
      this.arrays.set(name, spec);
      for (let i = 0; i < len; i++) this.names.push(label(i));
      base += len;
    };
    const arr = (name: string, len: number, idx: (i: number) => string, ghost = false) =>
      add(name, len, (i) => `${name}[${idx(i)}]`, ghost);
    const scalar = (name: string) => add(name, 1, () => name);

    arr('spte', nSlot, slotLabel);
    arr('spgfn', nSlot, slotLabel);
    arr('gpte', m.gptes.length, (i) => `${i}`);
    arr('hostmap', nGfn, gfnLabel);
    arr('swap', nGfn, gfnLabel);
    for (const n of ['page_owner', 'page_data', 'page_ref', 'page_dirty', 'page_accessed'])
      arr(n, m.pfns + 1, (i) => `pfn${i}`);
    arr('page_free', m.pfns + 1, (i) => `pfn${i}`);
    arr('vcpu_mode', m.vcpus, (i) => `vCPU${i}`);
    arr('tlb', m.vcpus * nSlot, (i) => `vCPU${Math.floor(i / nSlot)}:${slotLabel(i % nSlot)}`);
    arr('ghost_pending', nGfn, gfnLabel, true);
    arr('ghost_written', m.pfns + 1, (i) => `pfn${i}`, true);
    // KVM relies on the SPTE's write protection from here on (it shadows the page).
    arr('ghost_shadowed', nSlot, slotLabel, true);
    // A guest write went through a stale writable TLB entry while KVM relied on it.
    arr('ghost_stale_write', nSlot, slotLabel, true);
    // Empty without a dirty ring, so other machines keep their indices.
    addRingArrays(m, add);
    for (const s of SCALAR_NAMES) scalar(s);
    for (const l of m.locks) add(`lock:${l.name}`, 1, () => l.name);
    for (const d of m.srcu) {
      add(`srcu:${d}`, 1, () => `${d} readers`);
      add(`srcu_idx:${d}`, 1, () => `${d} gp seq`);
    }
    for (const v of Object.keys(m.vars ?? {})) scalar(v);
    const cells = m.cells ?? [];
    add('cell', cells.length, (i) => cells[i]?.name ?? `cell${i}`);
    this.size = base;
  }

  has(name: string): boolean {
    return this.arrays.has(name);
  }

  /** Flat index of `name[index]`; throws a ScenarioError naming the bad access. */
  index(name: string, i = 0): number {
    const spec = this.arrays.get(name);
    if (!spec) throw new ScenarioError(`unknown memory location '${name}'`);
    if (!Number.isInteger(i) || i < 0 || i >= spec.len)
      throw new ScenarioError(`index ${i} out of range for '${name}' (length ${spec.len})`);
    return spec.base + i;
  }

  base(name: string): number {
    return this.index(name, 0);
  }

  /** Human name of a flat index, e.g. `spte[gva0]` or `page_dirty[pfn1]`. */
  name(flat: number): string {
    return this.names[flat] ?? `mem[${flat}]`;
  }

  /** The array a flat index belongs to, and the element's index in it. */
  locate(flat: number): { array: string; index: number } {
    for (const [array, spec] of this.arrays)
      if (flat >= spec.base && flat < spec.base + spec.len)
        return { array, index: flat - spec.base };
    return { array: '?', index: flat };
  }

  isGhost(flat: number): boolean {
    const { array } = this.locate(flat);
    return this.arrays.get(array)?.ghost === true;
  }
}

/** Builds the memory image of the machine at the start of the scenario. */
export function initialMemory(layout: Layout): Int32Array {
  const m = layout.machine;
  const mem = new Int32Array(layout.size);
  const set = (name: string, i: number, v: number) => {
    mem[layout.index(name, i)] = v;
  };
  m.slots.forEach((s, i) => {
    set('spte', i, s.spte);
    set('spgfn', i, s.gfn);
  });
  m.gptes.forEach((g, i) => set('gpte', i, g));
  for (let p = 0; p <= m.pfns; p++) set('page_owner', p, -1);
  let stamp = 0;
  for (const page of m.pages) {
    if (page.pfn < 1 || page.pfn > m.pfns) throw new ScenarioError(`pfn ${page.pfn} out of range`);
    if (page.gfn === null) {
      set('page_free', page.pfn, ++stamp);
    } else {
      set('page_owner', page.pfn, page.gfn);
      set('page_data', page.pfn, 1);
      if (page.dirty) set('page_dirty', page.pfn, 1);
      if (page.accessed) set('page_accessed', page.pfn, 1);
    }
  }
  mem[layout.index('alloc_stamp')] = stamp;
  for (const [g, p] of Object.entries(m.hostMap)) set('hostmap', Number(g), p);
  mem[layout.index('dirty_logging')] = m.dirtyLogging ? 1 : 0;
  mem[layout.index('dirty_bitmap')] = m.dirtyBitmap ?? 0;
  for (const [v, x] of Object.entries(m.vars ?? {})) mem[layout.index(v)] = x;
  (m.cells ?? []).forEach((c, i) => set('cell', i, c.init));
  return mem;
}
