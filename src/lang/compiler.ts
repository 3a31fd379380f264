/**
 * Compiles a parsed litmus test to the engine's ScenarioInstance. Shared
 * variables become cells of one `cell` array (address = ADDR_BASE + index);
 * the registers a condition names are stored, as each thread's last steps,
 * into ghost cells, so that final states (which the explorer keys by memory)
 * tell them apart and the condition can be read off memory alone.
 */
import type { KernelVersion, LockDef, MachineDef, ScenarioInstance, ThreadDef } from '../engine';
import { applyMeta, applyThreadMeta, declaredMachine, kernelOf } from './meta';
import { LitmusError, type LitmusAst, type LocRef, type Prop } from './ast';
import { ADDR_BASE, collectSymbols, type Symbols } from './symbols';
import { ThreadCompiler } from './threadCompiler';

/** The engine packs lock holders in 16-bit masks (sync/lockword.ts). */
export const MAX_LITMUS_THREADS = 16;
export const DEFAULT_LOOP_BOUND = 4;
export const CUT_CELL = '__loop_bound';

export interface CompileOptions {
  kernel?: KernelVersion;
  loopBound?: number;
}

/** What the condition evaluator needs besides the instance. */
export interface LitmusTest {
  name: string;
  doc?: string;
  expected?: { word: string; line: number; col: number };
  quantifier?: 'exists' | 'not exists' | 'forall';
  condition?: Prop;
  /** The condition as written, for `Condition ...`. */
  conditionText?: string;
  filter?: Prop;
  /** Printed columns of a final state, herd7's order: registers by thread, then globals. */
  columns: { label: string; cell: number }[];
  /** Cell index of every name a condition may use: `x`, `0:r0`. */
  cellOf: Record<string, number>;
  /** Address of each shared variable, for `1:r0=x`. */
  addrOf: Record<string, number>;
  /** Cell set when a bounded loop was cut; absent without loops. */
  cutCell?: number;
  loopBound: number;
}

export function locLabel(l: LocRef): string {
  return l.thread === undefined ? l.name : `${l.thread}:${l.name}`;
}

function propLocs(p: Prop | undefined, out: LocRef[]): void {
  if (!p) return;
  switch (p.k) {
    case 'atom':
      out.push(p.loc);
      if (typeof p.value === 'object' && 'loc' in p.value) out.push(p.value.loc);
      return;
    case 'not':
      propLocs(p.p, out);
      return;
    case 'and':
    case 'or':
    case 'implies':
      propLocs(p.l, out);
      propLocs(p.r, out);
      return;
    default:
  }
}

export function compileLitmus(
  ast: LitmusAst,
  options: CompileOptions = {},
): { instance: ScenarioInstance; test: LitmusTest } {
  const n = ast.threads.length;
  if (n > MAX_LITMUS_THREADS)
    throw new LitmusError(
      `${n} threads: lockstep's engine runs at most ${MAX_LITMUS_THREADS}`,
      ast.threads[MAX_LITMUS_THREADS]?.pos ?? { line: 1, col: 1 },
    );
  ast.threads.forEach((th, i) => {
    if (th.index !== i)
      throw new LitmusError(`expected P${i}: threads are numbered from P0 without gaps`, th.pos);
  });
  const loopBound = options.loopBound ?? DEFAULT_LOOP_BOUND;
  const sym = collectSymbols(ast);

  const refs: LocRef[] = [...ast.locations];
  propLocs(ast.filter, refs);
  propLocs(ast.condition?.p, refs);
  const observed = new Map<number, Map<string, number>>();
  const cells = [...sym.cells];
  const cellOf: Record<string, number> = {};
  cells.forEach((c, i) => (cellOf[c] = i));
  for (const r of refs) {
    const label = locLabel(r);
    if (cellOf[label] !== undefined) continue;
    if (r.thread !== undefined) {
      if (r.thread >= n) throw new LitmusError(`there is no thread P${r.thread}`, r.pos);
      if (ast.threads[r.thread]?.params.some((p) => p.name === r.name))
        throw new LitmusError(`'${r.name}' is a parameter of P${r.thread}, not a register`, r.pos);
    } else if (sym.kinds.has(r.name))
      throw new LitmusError(`'${r.name}' is a ${sym.kinds.get(r.name)}, not a location`, r.pos);
    else sym.kinds.set(r.name, 'cell');
    cellOf[label] = cells.length;
    cells.push(label);
    if (r.thread !== undefined) {
      const regs = observed.get(r.thread) ?? new Map<string, number>();
      regs.set(r.name, cells.length - 1);
      observed.set(r.thread, regs);
    }
  }
  // A pointer is ADDR_BASE + its cell's index, so `*r` indexes the cell array directly.
  const addrOf: Record<string, number> = {};
  for (const [name, kind] of sym.kinds)
    if (kind === 'cell' && cellOf[name] !== undefined) addrOf[name] = ADDR_BASE + cellOf[name];
  const value = (v: number | { addr: string }, at: { line: number; col: number }): number => {
    if (typeof v === 'number') return v;
    const a = addrOf[v.addr];
    if (a === undefined) throw new LitmusError(`'${v.addr}' is not a shared variable`, at);
    return a;
  };

  const declared = declaredMachine(ast, options.kernel);
  const kernel = kernelOf(ast, options.kernel);
  const kernelOpt = kernel !== undefined ? { kernel } : {};
  let cutCell: number | undefined;
  const srcu = [...sym.kinds].filter(([, k]) => k === 'srcu').map(([name]) => name);
  let rcu: string | undefined;
  const threads = ast.threads.map((th) => {
    const tc = new ThreadCompiler(th, sym, {
      file: `${ast.name}.litmus`,
      loopBound,
      slots: declared?.slots.length ?? 0,
      ...kernelOpt,
      observed: [...(observed.get(th.index) ?? [])].map(([reg, cell]) => ({ reg, cell })),
      cutCell: () => {
        if (cutCell === undefined) {
          cutCell = cells.length;
          cells.push(CUT_CELL);
        }
        return cutCell;
      },
      rcuDomain: () => {
        if (rcu === undefined) {
          rcu = sym.kinds.has('rcu') ? '__rcu' : 'rcu';
          srcu.push(rcu);
        }
        return rcu;
      },
    });
    const init = new Map<string, number>();
    for (const [k, v] of sym.regInit) {
      const [t, r] = k.split(':');
      if (Number(t) === th.index && r !== undefined) init.set(r, value(v, th.pos));
    }
    const program = tc.compile(init);
    const def: ThreadDef = { name: `P${th.index}`, role: `litmus thread P${th.index}`, program };
    applyThreadMeta(th.meta, def);
    return def;
  });
  for (const [k] of sym.regInit)
    if (Number(k.split(':')[0]) >= n)
      throw new LitmusError(`init block names thread ${k.split(':')[0]}, which does not exist`, {
        line: 1,
        col: 1,
      });

  const locks: LockDef[] = [];
  for (const [name, kind] of sym.kinds)
    if (kind !== 'cell' && kind !== 'srcu') locks.push({ name, type: kind });
  const machine: MachineDef = {
    gfnNames: [],
    pfns: 0,
    slots: [],
    indirect: false,
    gptes: [],
    vcpus: 0,
    pages: [],
    hostMap: {},
    dirtyLogging: false,
    locks,
    srcu,
  };
  if (cells.length)
    machine.cells = cells.map((name) => ({
      name,
      init: sym.cellInit.has(name) ? value(sym.cellInit.get(name) ?? 0, { line: 1, col: 1 }) : 0,
    }));
  const instance: ScenarioInstance = {
    scenario: ast.name,
    variant: 'litmus',
    ...(options.kernel !== undefined && { kernel: options.kernel }),
    machine,
    threads,
    checks: ['deadlock'],
    canonical: [],
    chapters: [],
  };
  applyMeta(ast, instance, options.kernel);
  const columns = Object.entries(cellOf)
    .filter(([label]) => refs.some((r) => locLabel(r) === label))
    .map(([label, cell]) => ({ label, cell }))
    .sort((a, b) => columnOrder(a.label, b.label));
  const test: LitmusTest = {
    name: ast.name,
    columns,
    cellOf,
    addrOf,
    loopBound,
    ...(ast.doc !== undefined && { doc: ast.doc }),
    ...(ast.expected && {
      expected: { word: ast.expected.word, line: ast.expected.pos.line, col: ast.expected.pos.col },
    }),
    ...(ast.condition && {
      quantifier: ast.condition.q,
      condition: ast.condition.p,
      conditionText: ast.condition.text,
    }),
    ...(ast.filter && { filter: ast.filter }),
    ...(cutCell !== undefined && { cutCell }),
  };
  return { instance, test };
}

/** Registers before globals; registers by thread number, then by name. */
function columnOrder(a: string, b: string): number {
  const ra = /^(\d+):(.*)$/.exec(a);
  const rb = /^(\d+):(.*)$/.exec(b);
  if (ra && rb) return Number(ra[1]) - Number(rb[1]) || cmp(ra[2] ?? '', rb[2] ?? '');
  if (ra) return -1;
  if (rb) return 1;
  return cmp(a, b);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export type { Symbols };
