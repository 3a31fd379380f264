import type { Machine } from './machine';
import { formatSpte } from './spte';

/** What the state panel calls an element of each array, from the element's label (a slot, pfn, gfn). */
const PANEL_NAMES: Record<string, (el: string) => string> = {
  spte: (el) => `SPTE ${el}`,
  spgfn: (el) => `SPTE ${el} gfn`,
  hostmap: (el) => `host map ${el}`,
  page_owner: (el) => `${el} owner`,
  page_data: (el) => `${el} data`,
  page_ref: (el) => `${el} refcount`,
  page_dirty: (el) => `${el} Dirty`,
  page_accessed: (el) => `${el} Accessed`,
  page_free: (el) => `${el} free`,
  tlb: (el) => `TLB ${el}`,
  ghost_pending: (el) => `${el} written since copy`,
  dirty_bitmap: () => 'dirty bitmap',
  dirty_logging: () => 'dirty logging',
};

/**
 * Fields a reader groups by first: where the races leave their mark (the
 * SPTEs, the pages' Dirty flags, the dirty log) and a litmus test's own cells.
 */
const TELLING = new Set(['spte', 'page_dirty', 'dirty_bitmap', 'cell']);

/** Arrays whose value is a set of gfns (a bitmap over the machine's gfns). */
const GFN_SETS = new Set(['dirty_bitmap', 'mmu_invalidate_range']);

/**
 * Names and value texts for the columns of an outcome vector (memory, then one
 * finished flag per thread), in the words of the state panel: `SPTE gva0 =
 * {pfn1 W=1 A D}`, `pfn1 Dirty = 0`, `dirty bitmap = {gfn0}`, `vCPU1 =
 * finished`. Scenario variables and litmus cells keep their own names.
 */
export function fieldNamer(m: Machine) {
  const L = m.layout;
  const mem = m.shape.memSize;
  const gfns = m.instance.machine.gfnNames;
  const gfnSet = (v: number) => `{${gfns.filter((_, g) => v & (1 << g)).join(', ')}}`;
  const element = (c: number) => {
    const { array, index } = L.locate(c);
    const label = L.name(c);
    // The layout labels an element `array[element]`; the element part is what the panel shows.
    const el = label.startsWith(`${array}[`) ? label.slice(array.length + 1, -1) : label;
    return { array, index, el, label };
  };
  return {
    field(c: number): string {
      if (c >= mem) return m.threadName(c - mem);
      const { array, el, label } = element(c);
      return PANEL_NAMES[array]?.(el) ?? label;
    },
    value(c: number, v: number): string {
      if (c >= mem) return v ? 'finished' : 'not finished';
      const { array } = element(c);
      if (array === 'spte') return formatSpte(v);
      if (GFN_SETS.has(array)) return gfnSet(v);
      if (array === 'page_owner') return v >= 0 ? (gfns[v] ?? `gfn${v}`) : 'none';
      if (array === 'hostmap') return v ? `pfn${v}` : 'none';
      return String(v);
    },
    ghost(c: number): boolean {
      return c < mem && L.isGhost(c);
    },
    /** 0: telling machine state, 1: other machine state, 2: ghost bookkeeping. */
    tier(c: number): number {
      if (c >= mem) return 1;
      if (L.isGhost(c)) return 2;
      const { array } = L.locate(c);
      const isVar = Object.hasOwn(m.instance.machine.vars ?? {}, array);
      return TELLING.has(array) || isVar ? 0 : 1;
    },
  };
}
