import type { Machine } from './machine';
import { formatSpte } from './spte';
import { lockHolders } from './sync/lockword';
import { srcuReaders } from './sync/srcu';

/** A readable snapshot of a machine state: what the inspector and `run --json` show. */
export interface StateSummary {
  threads: { name: string; finished: boolean; pc: number; next: string | null }[];
  sptes: Record<string, string>;
  dirtyLogging: boolean;
  dirtyBitmap: string[];
  /** Ghost: gfns written since the destination last copied them. */
  writtenSinceCopy: string[];
  hostMap: Record<string, string | null>;
  pages: Record<
    string,
    { owner: string | null; data: number; refcount: number; dirty: boolean; accessed: boolean }
  >;
  locks: Record<string, string[]>;
  mmuInvalidate: { seq: number; inProgress: number };
}

export function summarize(m: Machine, s: Int32Array): StateSummary {
  const L = m.layout;
  const mc = m.instance.machine;
  const at = (name: string, i = 0) => s[L.index(name, i)] ?? 0;
  const gfn = (g: number) => mc.gfnNames[g] ?? `gfn${g}`;
  const gfnsIn = (mask: number) => mc.gfnNames.filter((_, g) => mask & (1 << g));
  const pages: StateSummary['pages'] = {};
  for (let p = 1; p <= mc.pfns; p++) {
    const owner = at('page_owner', p);
    pages[`pfn${p}`] = {
      owner: owner >= 0 ? gfn(owner) : null,
      data: at('page_data', p),
      refcount: at('page_ref', p),
      dirty: at('page_dirty', p) !== 0,
      accessed: at('page_accessed', p) !== 0,
    };
  }
  const locks: StateSummary['locks'] = {};
  for (const l of mc.locks)
    locks[l.name] = lockHolders(l.type, at(`lock:${l.name}`)).map((t) => m.threadName(t));
  for (const d of mc.srcu)
    locks[`${d} (SRCU readers)`] = srcuReaders(at(`srcu:${d}`)).map((t) => m.threadName(t));
  return {
    threads: m.threads.map((th, t) => {
      const pc = m.pc(s, t);
      return {
        name: th.def.name,
        finished: m.done(s, t),
        pc,
        next: th.def.program[pc]?.text ?? null,
      };
    }),
    sptes: Object.fromEntries(mc.slots.map((sl, i) => [sl.name, formatSpte(at('spte', i))])),
    dirtyLogging: at('dirty_logging') !== 0,
    dirtyBitmap: gfnsIn(at('dirty_bitmap')),
    writtenSinceCopy: mc.gfnNames.filter((_, g) => at('ghost_pending', g) !== 0),
    hostMap: Object.fromEntries(
      mc.gfnNames.map((name, g) => [name, at('hostmap', g) ? `pfn${at('hostmap', g)}` : null]),
    ),
    pages,
    locks,
    mmuInvalidate: { seq: at('mmu_invalidate_seq'), inProgress: at('mmu_invalidate_in_progress') },
  };
}
