import type { CheckKind, MachineDef, ScenarioInstance, ThreadDef } from './model';
import type { RunResult } from './run';
import { ProgramBuilder } from './builder';
import { Machine } from './machine';
import { SPTE, makeSpte } from './spte';

/**
 * Small builders for the engine's own tests: a tiny machine, threads written
 * with ProgramBuilder, and readers for named cells of a state. Not part of
 * the public surface (index.ts does not export it).
 */

/** Present, writable, Accessed and Dirty clear: the first write walks and sets both. */
export const WRITABLE_CLEAN =
  makeSpte({ pfn: 1, hostWritable: true, writable: true }) & ~(SPTE.A | SPTE.D);

/**
 * Two gfns (gfn0 on pfn1, gfn1 on pfn2), pfn3 free, one SPTE slot mapping
 * gfn0 through pfn1, two vCPUs, dirty logging on, locks `m`, `n` (mutex),
 * `sl` (spinlock), `rw` (rwlock), SRCU domain `srcu`, scalars `x` and `y`.
 */
export function machineDef(over: Partial<MachineDef> = {}): MachineDef {
  return {
    gfnNames: ['gfn0', 'gfn1'],
    pfns: 3,
    slots: [{ name: 's0', spte: WRITABLE_CLEAN, gfn: 0 }],
    indirect: false,
    gptes: [],
    vcpus: 2,
    pages: [
      { pfn: 1, gfn: 0 },
      { pfn: 2, gfn: 1 },
      { pfn: 3, gfn: null },
    ],
    hostMap: { 0: 1, 1: 2 },
    dirtyLogging: true,
    locks: [
      { name: 'm', type: 'mutex' },
      { name: 'n', type: 'mutex' },
      { name: 'sl', type: 'spinlock' },
      { name: 'rw', type: 'rwlock' },
    ],
    srcu: ['srcu'],
    vars: { x: 0, y: 0 },
    ...over,
  };
}

/** A thread whose program `body` appends; `vcpu` makes it a vCPU thread. */
export function thread(name: string, body: (b: ProgramBuilder) => void, vcpu?: number): ThreadDef {
  const b = new ProgramBuilder({ fn: `test_${name}`, file: 'test.c' });
  body(b);
  return { name, role: 'test thread', ...(vcpu !== undefined && { vcpu }), program: b.build() };
}

export function scenario(
  threads: ThreadDef[],
  opts: { machine?: Partial<MachineDef>; checks?: CheckKind[] } = {},
): ScenarioInstance {
  return {
    scenario: 'test',
    variant: 'test',
    machine: machineDef(opts.machine),
    threads,
    checks: opts.checks ?? ['lost-dirty-log', 'lost-dirty-bit', 'deadlock'],
    canonical: [],
    chapters: [],
  };
}

/** The value of memory cell `name[i]` in state `s`. */
export function cell(m: Machine, s: Int32Array, name: string, i = 0): number {
  return s[m.layout.index(name, i)] ?? 0;
}

/** The value of register `reg` of thread `t` in state `s`. */
export function reg(m: Machine, s: Int32Array, t: number, name: string): number {
  const i = m.threads[t]?.regs.indexOf(name) ?? -1;
  if (i < 0) throw new Error(`thread ${t} has no register '${name}'`);
  return s[(m.shape.regBase[t] ?? 0) + i] ?? 0;
}

/** Runs `schedule` step by step with Machine.step, keeping every state and event. */
export function steps(inst: ScenarioInstance, schedule: readonly number[]) {
  const m = new Machine(inst);
  const states = [m.initial()];
  const events = schedule.map((t, i) => {
    const { state, event } = m.step(states[i] as Int32Array, t, i);
    states.push(state);
    return event;
  });
  return { m, states, events, last: states[states.length - 1] as Int32Array };
}

/** Each step of a run with its thread's name and the op it executed. */
export function namedSteps(inst: ScenarioInstance, run: RunResult) {
  return run.events.map((ev) => {
    const th = inst.threads[ev.thread];
    const op = th?.program[ev.pc];
    if (!th || !op) throw new Error(`step ${ev.step} names no op`);
    return { ev, thread: th.name, op };
  });
}

/** A small deterministic PRNG (mulberry32) for tests that draw many choices from one seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Unit = (b: ProgramBuilder, pick: <T>(xs: readonly T[]) => T, vcpu: number | undefined) => void;

/** Snippets a random program is made of: each a few ops that keep locks and SRCU balanced. */
const UNITS: readonly Unit[] = [
  (b, pick) => b.load('r', [pick(['x', 'y'])], 'r = x;'),
  (b, pick) => b.store([pick(['x', 'y'])], ['+', 'r', 1], 'x = r + 1;'),
  (b) => b.cas(['x'], 'r', ['+', 'r', 1], 'ok', 'cmpxchg(&x, r, r + 1);'),
  (b) => b.xchg(['y'], 3, 'r', 'r = xchg(&y, 3);'),
  (b) => b.rmw(['x'], '+', 1, undefined, 'atomic_inc(&x);'),
  (b, pick) => {
    const l = pick(['m', 'n', 'sl']);
    b.lock(l, 'excl', `lock(${l});`).rmw(['y'], '|', 1, undefined, 'y |= 1;');
    b.unlock(l, 'excl', `unlock(${l});`);
  },
  (b, pick) => {
    const [a, c] = pick([
      ['m', 'n'],
      ['n', 'm'],
    ] as const);
    b.lock(a, 'excl', '').lock(c, 'excl', '').unlock(c, 'excl', '').unlock(a, 'excl', '');
  },
  (b, pick) => {
    const mode = pick(['read', 'write'] as const);
    b.lock('rw', mode, '').load('r', ['x'], '').unlock('rw', mode, '');
  },
  (b) => b.srcuReadLock('srcu', 'idx', '').load('r', ['y'], '').srcuReadUnlock('srcu', ''),
  (b) => b.synchronizeSrcu('srcu', 'synchronize_srcu(&kvm->srcu);'),
  (b, pick, v) =>
    v === undefined ? b.markDirty(1, '') : b.access(0, pick([true, false]), 'f', ''),
  (b, pick) => b.markDirty(pick([0, 1]), 'mark_page_dirty();'),
  (b) => b.xchg(['dirty_bitmap'], 0, 'h', '').harvestCopy('h', ''),
  (b) => b.flushTlbs('kvm_flush_remote_tlbs(kvm);'),
  (b, pick) => b.gup(pick([0, 1]), 'p', pick([true, false]), '').putPage('p', ''),
  (b) => b.unmapFree(1, ''),
  (b) => {
    const skip = b.uniq('skip');
    b.set('i', ['+', 'i', 1], 'i++;').br(['>', 'i', 1], skip, 'if (i > 1) goto skip;');
    b.store(['y'], 'i', 'y = i;').label(skip);
  },
  (b, _pick, v) =>
    v === undefined
      ? b.await(['!=', ['ld', ['x']], 0], 'x != 0', '')
      : b
          .store(['vcpu_mode', v], 2, 'walk_shadow_page_lockless_begin();')
          .store(['vcpu_mode', v], 0, 'walk_shadow_page_lockless_end();'),
];

/**
 * A random scenario of `threads` threads (vCPU0, vCPU1, then host threads),
 * each about `ops` ops long, made of small balanced snippets, on the default
 * machine. Deterministic in `rand`.
 */
export function randomScenario(rand: () => number, threads: number, ops: number): ScenarioInstance {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const defs = Array.from({ length: threads }, (_, t) => {
    const vcpu = t < 2 ? t : undefined;
    const name = vcpu === undefined ? `host${t}` : `vCPU${t}`;
    return thread(
      name,
      (b) => {
        // build() only reads the length here (it may close a pending label with a nop).
        while (b.build().length < ops) pick(UNITS)(b, pick, vcpu);
      },
      vcpu,
    );
  });
  return scenario(defs);
}
