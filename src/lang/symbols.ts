/**
 * The shared objects of a litmus test: memory cells (with addresses), locks
 * and SRCU domains, gathered from the init block and every thread's
 * parameters. A parameter's name is what makes it shared (herd7: the same
 * name is the same variable in every thread).
 */
import type { LockType } from '../engine';
import { LitmusError, type LitmusAst, type Pos } from './ast';

/**
 * Address of cell i. Far from the small integers tests store, so a final
 * value in this range prints as the variable's name (`1:r0=x`), as herd7 does.
 */
export const ADDR_BASE = 0x10000;

export type SharedKind = 'cell' | 'srcu' | LockType;

export interface Symbols {
  kinds: Map<string, SharedKind>;
  /** Cell names in address order: cell i has address ADDR_BASE + i. */
  cells: string[];
  cellInit: Map<string, number | { addr: string }>;
  /** Initial register values from the init block: `0:r1=2`. */
  regInit: Map<string, number | { addr: string }>;
}

/** The C type that declares each kind, for messages and the printer. */
export const TYPE_OF: Record<SharedKind, string> = {
  cell: 'int',
  spinlock: 'spinlock_t',
  rwlock: 'rwlock_t',
  mutex: 'struct mutex',
  rwsem: 'struct rw_semaphore',
  srcu: 'struct srcu_struct',
};

export function kindOfType(type: string | undefined): SharedKind {
  const t = type ?? '';
  if (/\bspinlock_t\b/.test(t)) return 'spinlock';
  if (/\brwlock_t\b/.test(t)) return 'rwlock';
  if (/\bstruct mutex\b/.test(t)) return 'mutex';
  if (/\bstruct rw_semaphore\b/.test(t)) return 'rwsem';
  if (/\bstruct srcu_struct\b/.test(t)) return 'srcu';
  return 'cell';
}

export function collectSymbols(ast: LitmusAst): Symbols {
  const kinds = new Map<string, SharedKind>();
  const cells: string[] = [];
  const cellInit = new Map<string, number | { addr: string }>();
  const regInit = new Map<string, number | { addr: string }>();
  const declare = (name: string, kind: SharedKind, pos: Pos) => {
    const had = kinds.get(name);
    if (had !== undefined && had !== kind)
      throw new LitmusError(`'${name}' is a ${had} elsewhere but a ${kind} here`, pos);
    if (had === undefined) {
      kinds.set(name, kind);
      if (kind === 'cell') cells.push(name);
    }
  };
  for (const item of ast.init) {
    if (item.thread !== undefined) {
      regInit.set(`${item.thread}:${item.name}`, item.value);
      continue;
    }
    const kind = kindOfType(item.type);
    declare(item.name, kind, item.pos);
    if (kind === 'cell') cellInit.set(item.name, item.value);
  }
  for (const th of ast.threads)
    for (const p of th.params) {
      if (!p.type.includes('*') && p.type !== '')
        throw new LitmusError(
          `parameter '${p.name}' must be a pointer: nothing is passed by value in a litmus test`,
          p.pos,
        );
      declare(p.name, kindOfType(p.type), p.pos);
    }
  for (const [name, v] of cellInit)
    if (typeof v !== 'number' && kinds.get(v.addr) !== 'cell')
      throw new LitmusError(`'${name}' is initialised to &${v.addr}, which is not a variable`, {
        line: 1,
        col: 1,
      });
  return { kinds, cells, cellInit, regInit };
}

export function addressOf(sym: Symbols, name: string): number | undefined {
  const i = sym.cells.indexOf(name);
  return i < 0 ? undefined : ADDR_BASE + i;
}
