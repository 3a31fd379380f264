import type { Expr, Loc, Op } from './model';
import { successors } from './cfg';

/**
 * Register liveness per op (classic backward dataflow over the program's
 * control-flow graph). Exploration zeroes registers that are dead at a
 * thread's pc, so that two states differing only in values that will never
 * be read again are recognised as the same state.
 */

function exprRegs(e: Expr | undefined, out: Set<string>): void {
  if (e === undefined || typeof e === 'number') return;
  if (typeof e === 'string') {
    out.add(e);
    return;
  }
  if (e[0] === 'ld') locRegs(e[1] as Loc, out);
  else for (const x of e.slice(e[0] === 'fn' ? 2 : 1)) exprRegs(x as Expr, out);
}

function locRegs(l: Loc, out: Set<string>): void {
  exprRegs(l[1], out);
}

function uses(op: Op): Set<string> {
  const out = new Set<string>();
  const o = op as unknown as Record<string, unknown>;
  for (const key of ['e', 'expect', 'cond', 'slot', 'gfn', 'pfn', 'gpte', 'mask'])
    if (key in o) exprRegs(o[key] as Expr, out);
  if ('loc' in op) locRegs(op.loc, out);
  return out;
}

function defs(op: Op): string[] {
  const o = op as unknown as Record<string, unknown>;
  return ['dst', 'ok', 'old'].map((k) => o[k]).filter((r): r is string => typeof r === 'string');
}

/** For each pc, the registers whose value may still be read from that pc on. */
export function liveRegisters(program: readonly Op[]): Set<string>[] {
  const succ = successors(program);
  const live: Set<string>[] = program.map(() => new Set());
  const use = program.map(uses);
  const def = program.map(defs);
  for (let changed = true; changed;) {
    changed = false;
    for (let pc = program.length - 1; pc >= 0; pc--) {
      const out = new Set<string>();
      for (const s of succ[pc] ?? []) for (const r of live[s] ?? []) out.add(r);
      for (const r of def[pc] ?? []) out.delete(r);
      for (const r of use[pc] ?? []) out.add(r);
      const cur = live[pc] as Set<string>;
      if (out.size !== cur.size || [...out].some((r) => !cur.has(r))) {
        live[pc] = out;
        changed = true;
      }
    }
  }
  return live;
}
