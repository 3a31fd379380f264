import type { CheckKind, MachineDef, ScenarioInstance, ThreadDef } from './model';
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
