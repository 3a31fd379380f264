import { describe, expect, it } from 'vitest';
import type { ProgramBuilder } from './builder';
import type { Access } from './events';
import { Machine, describeBlock } from './machine';
import { runSchedule } from './run';
import { ScenarioError, ScheduleError } from './errors';
import { cell, reg, scenario, steps, thread } from './testing';

/** Runs one thread alone to its end; returns the machine, the run and the final state. */
function alone(body: (b: ProgramBuilder) => void, vars: Record<string, number> = { x: 0, y: 0 }) {
  const inst = scenario([thread('T', body)], { machine: { vars } });
  const m = new Machine(inst);
  const run = runSchedule(inst, [], { complete: true });
  return { m, run, last: run.states[run.states.length - 1] as Int32Array };
}

interface MemoryCase {
  name: string;
  x0: number;
  op: (b: ProgramBuilder) => void;
  /** x after the op. */
  x: number;
  regs: Record<string, number>;
  access: Access['kind'];
  outcome?: string;
}

const CAS_OLD = { k: 'cas', loc: ['x'], expect: 5, e: 7, ok: 'ok', old: 'o' } as const;

// prettier-ignore
const MEMORY: MemoryCase[] = [
  { name: 'load copies x', x0: 7, op: (b) => b.load('r', ['x'], ''), x: 7, regs: { r: 7 }, access: 'read' },
  { name: 'store writes x', x0: 7, op: (b) => b.store(['x'], ['+', 4, 5], ''), x: 9, regs: {}, access: 'write' },
  { name: 'set with ld reads x (not a local step)', x0: 3, op: (b) => b.set('r', ['+', ['ld', ['x']], 1], ''), x: 3, regs: { r: 4 }, access: 'read' },
  { name: 'cas succeeds on an equal value', x0: 5, op: (b) => b.cas(['x'], 5, 7, 'ok', ''), x: 7, regs: { ok: 1 }, access: 'rmw', outcome: 'cmpxchg succeeded' },
  { name: 'cas fails on a different value', x0: 5, op: (b) => b.cas(['x'], 4, 7, 'ok', ''), x: 5, regs: { ok: 0 }, access: 'read', outcome: 'cmpxchg failed: the SPTE changed' },
  { name: 'cas compares the whole value, not low bits', x0: (1 << 16) | 5, op: (b) => b.cas(['x'], 5, 7, 'ok', ''), x: (1 << 16) | 5, regs: { ok: 0 }, access: 'read', outcome: 'cmpxchg failed: the SPTE changed' },
  { name: 'cas success returns the old value in `old`', x0: 5, op: (b) => b.op(CAS_OLD, ''), x: 7, regs: { ok: 1, o: 5 }, access: 'rmw' },
  { name: 'cas failure returns the current value in `old`', x0: 6, op: (b) => b.op(CAS_OLD, ''), x: 6, regs: { ok: 0, o: 6 }, access: 'read' },
  { name: 'xchg returns the old value', x0: 5, op: (b) => b.xchg(['x'], 9, 'r', ''), x: 9, regs: { r: 5 }, access: 'rmw' },
  { name: 'rmw | ors and returns the old value', x0: 5, op: (b) => b.rmw(['x'], '|', 2, 'r', ''), x: 7, regs: { r: 5 }, access: 'rmw' },
  { name: 'rmw & ands', x0: 5, op: (b) => b.rmw(['x'], '&', 4, 'r', ''), x: 4, regs: { r: 5 }, access: 'rmw' },
  { name: 'rmw + adds', x0: 5, op: (b) => b.rmw(['x'], '+', 3, 'r', ''), x: 8, regs: { r: 5 }, access: 'rmw' },
  { name: 'rmw + wraps at 32 bits', x0: 0x7fffffff, op: (b) => b.rmw(['x'], '+', 1, undefined, ''), x: -0x80000000, regs: {}, access: 'rmw' },
];

describe('memory ops', () => {
  it.each(MEMORY)('$name', ({ x0, op, x, regs, access, outcome }) => {
    const { m, run, last } = alone(op, { x: x0, y: 0 });
    expect(run.events, 'one op is one atomic step').toHaveLength(1);
    expect(cell(m, last, 'x'), 'value of x after the op').toBe(x);
    for (const [r, v] of Object.entries(regs)) expect(reg(m, last, 0, r), `register ${r}`).toBe(v);
    const ev = run.events[0];
    const xi = m.layout.index('x');
    expect(ev?.accesses, 'the op must log exactly one access to x, old → new').toEqual([
      { loc: xi, kind: access, old: x0, value: access === 'read' ? x0 : x },
    ]);
    if (outcome !== undefined) expect(ev?.outcome).toBe(outcome);
  });

  it('set without ld is a register-only step', () => {
    const { m, run, last } = alone((b) => b.set('r', ['+', 2, 3], ''));
    expect(reg(m, last, 0, 'r')).toBe(5);
    expect(run.events[0]?.accesses).toEqual([]);
    expect(run.events[0]?.regs).toEqual([{ reg: 'r', value: 5 }]);
    expect(m.nextIsLocal(m.initial(), 0), 'set on registers only must be local').toBe(true);
  });
});

describe('where a register came from', () => {
  it('a load records the location it copied, so a viewer can tell when memory moved on', () => {
    const { m, run } = alone((b) => (b.load('r', ['x'], ''), b.store(['x'], 9, '')), {
      x: 4,
      y: 0,
    });
    expect(run.events[0]?.regs).toEqual([{ reg: 'r', value: 4, from: m.layout.index('x') }]);
  });

  // prettier-ignore
  it.each([
    ['set with ld (a computed value)', (b: ProgramBuilder) => b.set('r', ['+', ['ld', ['x']], 1], '')],
    ['xchg (the value memory had before the write)', (b: ProgramBuilder) => b.xchg(['x'], 9, 'r', '')],
    ['cas old', (b: ProgramBuilder) => b.op(CAS_OLD, '')],
  ])('%s records no location', (_, op) => {
    const { run } = alone(op, { x: 5, y: 0 });
    for (const w of run.events[0]?.regs ?? []) expect(w, w.reg).not.toHaveProperty('from');
  });
});

interface FlowCase {
  name: string;
  head: (b: ProgramBuilder) => void;
  /** pc after the first op. */
  next: number;
  x: number;
  outcome: string | undefined;
}

// prettier-ignore
const FLOW: FlowCase[] = [
  { name: 'br taken jumps to its label', head: (b) => b.br(1, 'L', ''), next: 2, x: 0, outcome: 'yes' },
  { name: 'br not taken falls through', head: (b) => b.br(['==', 'r', 1], 'L', ''), next: 1, x: 1, outcome: 'no' },
  { name: 'jmp jumps', head: (b) => b.jmp('L', ''), next: 2, x: 0, outcome: undefined },
  { name: 'nop falls through', head: (b) => b.nop(''), next: 1, x: 1, outcome: undefined },
];

describe('control flow', () => {
  const tail = (b: ProgramBuilder) => {
    b.store(['x'], 1, 'x = 1;');
    b.label('L');
    b.store(['y'], 1, 'y = 1;');
  };
  it.each(FLOW)('$name', ({ head, next, x, outcome }) => {
    const { m, run, last } = alone((b) => (head(b), tail(b)));
    const ev = run.events[0];
    expect(ev?.next, 'pc after the first op').toBe(next);
    expect(ev?.accesses).toEqual([]);
    expect(ev?.outcome).toBe(outcome);
    expect(cell(m, last, 'x')).toBe(x);
    expect(cell(m, last, 'y'), 'the labelled op runs on every path').toBe(1);
  });

  it('ret finishes the thread: pc jumps to the program length', () => {
    const { m, run, last } = alone((b) => (b.ret(''), b.store(['x'], 1, '')));
    expect(run.events).toHaveLength(1);
    expect(run.events[0]?.next).toBe(2);
    expect(m.done(last, 0)).toBe(true);
    expect(cell(m, last, 'x'), 'nothing after ret may run').toBe(0);
  });

  it('a branch to an unknown label is a ScenarioError', () => {
    const inst = scenario([thread('T', (b) => b.jmp('nowhere', ''))]);
    expect(() => new Machine(inst)).toThrow(ScenarioError);
  });
});

describe('await', () => {
  const inst = scenario([
    thread('A', (b) => (b.await(['ld', ['x']], 'x is set', ''), b.store(['y'], 1, ''))),
    thread('B', (b) => b.store(['x'], 1, '')),
  ]);

  it('blocks until its condition holds, with the reason', () => {
    const { m, states } = steps(inst, [1]);
    const s0 = states[0] as Int32Array;
    expect(m.blocked(s0, 0)).toEqual({ kind: 'await', why: 'x is set' });
    expect(m.runnable(s0), 'a thread whose await is false must not be runnable').toEqual([1]);
    expect(describeBlock(m, 0, { kind: 'await', why: 'x is set' })).toContain(
      'waits until x is set',
    );
    expect(() => m.step(s0, 0, 0)).toThrow(ScheduleError);
    expect(m.blocked(states[1] as Int32Array, 0), 'x = 1 must enable the await').toBeNull();
  });

  it('falls through once enabled, reading the location', () => {
    const { m, events, last } = steps(inst, [1, 0, 0]);
    expect(events[1]?.accesses.map((a) => a.kind)).toEqual(['read']);
    expect(cell(m, last, 'y')).toBe(1);
  });

  it('runSchedule refuses a schedule that runs the blocked thread', () => {
    expect(() => runSchedule(inst, [0])).toThrow(/step 1: A cannot run: waits until x is set/);
  });
});
