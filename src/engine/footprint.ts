import type { Expr, Loc, Op } from './model';
import { successors } from './cfg';
import { ringArrays } from './dirtyRing';

/**
 * Static footprints: which locations an op may touch and how, known from the
 * program alone. An index computed from registers is "any index" (-1). Two
 * accesses conflict when they may touch the same location and are not both
 * reads, both increments, or both ORs without a returned value (those
 * commute). The partial-order reduction builds on this relation.
 */
export type Mode = 'r' | 'w' | 'inc' | 'or';

export interface Touch {
  /** An array of the layout, or a pseudo-location such as `gp:<domain>`. */
  arr: string;
  /** Element index, or -1 for "any". */
  idx: number;
  mode: Mode;
}

const idxOf = (e: Expr | undefined): number =>
  typeof e === 'number' ? e : e === undefined ? 0 : -1;

function exprReads(e: Expr | undefined, out: Touch[]): void {
  if (e === undefined || typeof e !== 'object') return;
  if (e[0] === 'ld') {
    const l = e[1] as Loc;
    out.push({ arr: l[0], idx: idxOf(l[1]), mode: 'r' });
    exprReads(l[1], out);
    return;
  }
  for (const x of e.slice(e[0] === 'fn' ? 2 : 1)) exprReads(x as Expr, out);
}

const at = (l: Loc, mode: Mode): Touch => ({ arr: l[0], idx: idxOf(l[1]), mode });
const any = (arr: string, mode: Mode): Touch => ({ arr, idx: -1, mode });

/** What mark_page_dirty_in_slot may touch: the bitmap, or the running vCPU's own ring. */
function markTouches(vcpu: number | undefined): Touch[] {
  const out: Touch[] = [
    { arr: 'dirty_logging', idx: 0, mode: 'r' },
    { arr: 'dirty_bitmap', idx: 0, mode: 'or' },
  ];
  if (vcpu !== undefined) {
    const r = ringArrays(vcpu);
    out.push(any(r.gfn, 'w'), any(r.flags, 'w'), any(r.dirtyIndex, 'w'), any(r.resetIndex, 'r'));
  }
  return out;
}

/**
 * Everything `op` may touch, over-approximated. `vcpu` and `slots` place TLB
 * entries; `pml` says a guest write may also log its gfn (D-bit logging).
 */
export function opFootprint(op: Op, vcpu: number | undefined, slots: number, pml = false): Touch[] {
  const out: Touch[] = [];
  const o = op as unknown as Record<string, Expr | undefined>;
  for (const key of ['e', 'expect', 'cond', 'slot', 'gfn', 'pfn', 'gpte', 'mask'])
    exprReads(o[key], out);
  if ('loc' in op) exprReads(op.loc[1], out);
  switch (op.k) {
    case 'load':
      out.push(at(op.loc, 'r'));
      break;
    case 'store':
    case 'cas':
    case 'xchg':
      out.push(at(op.loc, 'w'));
      break;
    case 'rmw': {
      const commutes = op.dst === undefined && op.rop !== '&';
      out.push(at(op.loc, commutes ? (op.rop === '+' ? 'inc' : 'or') : 'w'));
      break;
    }
    case 'lock':
    case 'unlock':
      out.push({ arr: `lock:${op.lock}`, idx: 0, mode: 'w' });
      break;
    case 'srcu_read_lock':
      out.push(
        { arr: `srcu:${op.domain}`, idx: 0, mode: 'w' },
        { arr: `srcu_idx:${op.domain}`, idx: 0, mode: 'r' },
      );
      break;
    case 'srcu_read_unlock':
      out.push({ arr: `srcu:${op.domain}`, idx: 0, mode: 'w' }, any(`gp:${op.domain}`, 'w'));
      break;
    case 'srcu_sync':
      if (op.phase === 'start')
        out.push({ arr: `srcu:${op.domain}`, idx: 0, mode: 'r' }, any(`gp:${op.domain}`, 'w'));
      else
        out.push(any(`gp:${op.domain}`, 'r'), {
          arr: `srcu_idx:${op.domain}`,
          idx: 0,
          mode: 'inc',
        });
      break;
    case 'access': {
      const slot = idxOf(op.slot);
      out.push(
        { arr: 'spte', idx: slot, mode: 'w' },
        { arr: 'tlb', idx: slot < 0 || vcpu === undefined ? -1 : vcpu * slots + slot, mode: 'w' },
        any('page_data', 'inc'),
        { arr: 'ghost_shadowed', idx: slot, mode: 'r' },
        { arr: 'ghost_stale_write', idx: slot, mode: 'or' },
        any('ghost_written', 'or'),
        any('ghost_pending', 'or'),
        any('page_owner', 'r'),
        { arr: 'dirty_logging', idx: 0, mode: 'r' },
      );
      if (pml && op.write) out.push(any('spgfn', 'r'), ...markTouches(vcpu));
      break;
    }
    case 'flush_tlbs':
      out.push(any('tlb', 'w'), any('vcpu_mode', 'r'));
      break;
    case 'mark_dirty':
      out.push(...markTouches(vcpu));
      break;
    case 'gup':
    case 'put_page':
    case 'unmap_free':
    case 'migrate':
      for (const a of [
        'hostmap',
        'swap',
        'page_free',
        'page_owner',
        'page_data',
        'page_dirty',
        'page_accessed',
        'page_ref',
        'ghost_written',
        'alloc_stamp',
      ])
        out.push(any(a, 'w'));
      break;
    case 'gpt_write':
      out.push(
        at(['gpte', op.gpte], 'w'),
        any('hostmap', 'r'),
        any('page_data', 'inc'),
        any('page_dirty', 'or'),
        any('ghost_pending', 'or'),
        { arr: 'dirty_logging', idx: 0, mode: 'r' },
      );
      break;
    case 'harvest_copy':
      out.push(any('ghost_pending', 'w'));
      break;
    default:
      break;
  }
  return out;
}

export function conflicts(a: Touch, b: Touch): boolean {
  if (a.arr !== b.arr) return false;
  if (a.idx >= 0 && b.idx >= 0 && a.idx !== b.idx) return false;
  if (a.mode === 'r' && b.mode === 'r') return false;
  if (a.mode === b.mode && (a.mode === 'inc' || a.mode === 'or')) return false;
  return true;
}

export function anyConflict(xs: readonly Touch[], ys: readonly Touch[]): boolean {
  for (const x of xs) for (const y of ys) if (conflicts(x, y)) return true;
  return false;
}

/** Whether any touch may write `arr` (in any mode but read). */
export const writes = (xs: readonly Touch[], arr: string): boolean =>
  xs.some((x) => x.arr === arr && x.mode !== 'r');

/**
 * For each pc, the footprint of every op reachable from it (its future), as
 * a deduplicated list; one past the end is empty.
 */
export function futureFootprints(program: readonly Op[], own: Touch[][]): Touch[][] {
  const succ = successors(program);
  const key = (t: Touch) => `${t.arr}|${t.idx}|${t.mode}`;
  const sets: Map<string, Touch>[] = program.map(() => new Map());
  sets.push(new Map());
  for (let changed = true; changed;) {
    changed = false;
    for (let pc = program.length - 1; pc >= 0; pc--) {
      const cur = sets[pc] as Map<string, Touch>;
      const before = cur.size;
      for (const t of own[pc] ?? []) cur.set(key(t), t);
      for (const s of succ[pc] ?? []) for (const [k, t] of sets[s] ?? []) cur.set(k, t);
      if (cur.size !== before) changed = true;
    }
  }
  return sets.map((m) => [...m.values()]);
}
