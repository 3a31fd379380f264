import { describe, expect, it } from 'vitest';
import type { ProgramBuilder } from './builder';
import { Machine } from './machine';
import { runSchedule } from './run';
import { dataConditions, deadlockCondition } from './checks';
import { findHazards } from './hazards';
import { SPTE } from './spte';
import { WRITABLE_CLEAN, scenario, steps, thread } from './testing';

const write = (b: ProgramBuilder) => b.access(0, true, 'w', 'guest: *gva = v;');
const mark = (b: ProgramBuilder) => b.markDirty(0, 'mark_page_dirty(kvm, gfn);');
const harvest = (b: ProgramBuilder) => {
  b.xchg(['dirty_bitmap'], 0, 'h', 'mask = xchg(&bitmap[i], 0);');
  b.harvestCopy('h', 'copy the reported pages');
};
const kinds = (run: ReturnType<typeof runSchedule>) => run.violations.map((v) => v.kind);

describe('lost-dirty-log', () => {
  it.each([
    { name: 'a write with no mark is lost', body: [write], logging: true, lost: true },
    { name: 'write then mark is logged', body: [write, mark], logging: true, lost: false },
    { name: 'mark then write is logged', body: [mark, write], logging: true, lost: false },
    { name: 'nothing to log when logging is off', body: [write], logging: false, lost: false },
  ])('$name', ({ body, logging, lost }) => {
    const inst = scenario([thread('vCPU0', (b) => body.forEach((f) => f(b)), 0)], {
      machine: { dirtyLogging: logging },
    });
    const run = runSchedule(inst, [], { complete: true });
    expect(kinds(run), 'ghost_pending[gfn] set with its bitmap bit clear').toEqual(
      lost ? ['lost-dirty-log'] : [],
    );
    if (lost) {
      expect(run.violations[0]).toMatchObject({ gfn: 0, step: 0 });
      // Named as the machine names the gfn (and the state panel shows it).
      expect(run.violations[0]?.message).toMatch(/^gfn0 was written/);
    }
  });

  it('dates the violation from the step after which it held to the end', () => {
    const inst = scenario([
      thread('vCPU0', (b) => (write(b), mark(b), write(b)), 0),
      thread('QEMU', harvest),
    ]);
    // write (lost until) mark; harvest clears the bit and the ghost; write again: lost for good.
    const run = runSchedule(inst, [0, 0, 1, 1, 0]);
    expect(run.final).toBe(true);
    expect(run.violations.map((v) => [v.kind, v.step])).toEqual([['lost-dirty-log', 4]]);
    expect(run.violations[0]?.trail, 'no stale read: the trail is the violation alone').toEqual([
      { step: 4, role: 'violation' },
    ]);
  });

  it('a harvest between the write and its mark loses nothing', () => {
    const inst = scenario([
      thread('vCPU0', (b) => (write(b), mark(b)), 0),
      thread('QEMU', harvest),
    ]);
    expect(runSchedule(inst, [0, 1, 1, 0]).violations).toEqual([]);
  });
});

/** The zap of mmu_spte_clear_track_bits: read, clear (plain store or xchg), move D to the page. */
const zapper = (atomic: boolean) => (b: ProgramBuilder) => {
  b.load('old', ['spte', 0], 'old_spte = *sptep;');
  if (atomic) b.xchg(['spte', 0], 0, 'old', 'old_spte = xchg(sptep, 0);');
  else b.store(['spte', 0], 0, '*sptep = 0;  /* plain store */');
  b.rmw(
    ['page_dirty', ['fn', 'spte_to_pfn', 'old']],
    '|',
    ['fn', 'is_dirty_spte', 'old'],
    undefined,
    'if (is_dirty_spte(old_spte)) kvm_set_pfn_dirty(pfn);',
  );
};
const zapRace = (atomic: boolean) =>
  scenario([thread('zap', zapper(atomic)), thread('vCPU0', write, 0)], {
    machine: { dirtyLogging: false },
  });

describe('lost-dirty-bit', () => {
  it('a plain-store zap after a D-setting write loses it: step and causes', () => {
    const run = runSchedule(zapRace(false), [0, 1, 0, 0]);
    expect(kinds(run)).toEqual(['lost-dirty-bit']);
    const v = run.violations[0];
    expect(v?.pfn).toBe(1);
    expect(v?.message).toMatch(/^pfn1 was written/);
    expect(v?.step, 'the store that wiped the SPTE holding D').toBe(2);
    expect(v?.causes, 'the stale read and the plain store that acted on it').toEqual([0, 2]);
    expect(v?.racing, "the vCPU's write that set D in between").toEqual([1]);
    expect(v?.trail).toEqual([
      { step: 0, role: 'stale read' },
      { step: 1, role: 'racing write' },
      { step: 2, role: 'plain store over a newer value' },
    ]);
  });

  it('is silent while a present SPTE still carries D', () => {
    const { m, last } = steps(zapRace(false), [0, 1]);
    expect(dataConditions(m, last)).toEqual([]);
  });

  it.each([
    { name: 'xchg zap, racing write', atomic: true, schedule: [0, 1, 0, 0] },
    { name: 'plain store, write first', atomic: false, schedule: [1, 0, 0, 0] },
    { name: 'plain store, write after the zap faults', atomic: false, schedule: [0, 0, 0, 1] },
  ])('fixed counterpart: $name', ({ atomic, schedule }) => {
    const run = runSchedule(zapRace(atomic), schedule);
    expect(run.final).toBe(true);
    expect(run.violations, 'the page must learn about D').toEqual([]);
  });
});

describe('causes of a cmpxchg on a value that changed and came back (ABA)', () => {
  const RO = (WRITABLE_CLEAN | SPTE.A) & ~SPTE.W;
  const inst = scenario(
    [
      thread(
        'vCPU0',
        (b) => {
          b.load('old', ['spte', 0], 'old_spte = *sptep;');
          b.cas(
            ['spte', 0],
            'old',
            ['|', 'old', SPTE.W],
            'ok',
            'cmpxchg(sptep, old_spte, new_spte)',
          );
          write(b);
        },
        0,
      ),
      thread('zap', (b) => (b.store(['spte', 0], 0, 'zap'), b.store(['spte', 0], RO, 'rebuild'))),
    ],
    { machine: { slots: [{ name: 's0', spte: RO, gfn: 0 }] }, checks: ['lost-dirty-log'] },
  );

  it('blames the read and the cmpxchg, with the writes in between racing', () => {
    const run = runSchedule(inst, [0, 1, 1, 0, 0]);
    expect(run.events[3]?.outcome).toBe('cmpxchg succeeded');
    const v = run.violations[0];
    expect(v?.kind).toBe('lost-dirty-log');
    expect(v?.causes).toEqual([0, 3]);
    expect(v?.racing).toEqual([1, 2]);
    expect(v?.trail.find((t) => t.step === 3)?.role).toBe('cmpxchg succeeds on a stale value');
  });

  it('blames nothing when no one wrote in between', () => {
    const run = runSchedule(inst, [0, 0, 0, 1, 1]);
    expect(kinds(run)).toEqual(['lost-dirty-log']);
    expect(run.violations[0]?.causes).toEqual([]);
    expect(run.hazards).toEqual([]);
  });
});

describe('hazards', () => {
  it('a stale plain store on a non-SPTE location is a hazard but never a cause', () => {
    const inst = scenario([
      thread('A', (b) => (b.load('r', ['x'], ''), b.store(['x'], ['+', 'r', 1], ''), write(b)), 0),
      thread('B', (b) => b.store(['x'], 5, '')),
    ]);
    const run = runSchedule(inst, [0, 1, 0, 0]);
    expect(findHazards(run.events)).toEqual([
      {
        kind: 'lost-update',
        loc: new Machine(inst).layout.index('x'),
        read: 0,
        at: 2,
        writers: [1],
      },
    ]);
    expect(run.violations[0]?.causes, 'only SPTE hazards explain a violation').toEqual([]);
  });
});

describe('deadlock condition', () => {
  it('is absent when every thread finished, present (without cycle) on an await that never holds', () => {
    const done = steps(scenario([thread('A', (b) => b.store(['x'], 1, ''))]), [0]);
    expect(deadlockCondition(done.m, done.last)).toBeNull();
    const stuck = steps(scenario([thread('A', (b) => b.await(['ld', ['x']], 'x is set', ''))]), []);
    expect(deadlockCondition(stuck.m, stuck.last)).toEqual({
      kind: 'deadlock',
      key: 'deadlock',
      message: 'no thread can run: A cannot run: waits until x is set',
      cycle: [],
    });
  });
});
