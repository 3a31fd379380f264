import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LockMode } from './model';
import type { ProgramBuilder } from './builder';
import { Machine, describeBlock } from './machine';
import { runSchedule } from './run';
import { exploreStateGraph } from './explore';
import { ScenarioError } from './errors';
import { scenario, steps, thread } from './testing';

const section = (lock: string, mode: LockMode) => (b: ProgramBuilder) => {
  b.lock(lock, mode, `lock(${lock})`);
  b.unlock(lock, mode, `unlock(${lock})`);
};

describe('mutex and spinlock', () => {
  it.each(['m', 'sl'])('%s excludes a second holder and names the holder', (lock) => {
    const inst = scenario([thread('A', section(lock, 'excl')), thread('B', section(lock, 'excl'))]);
    const { m, events, last } = steps(inst, [0]);
    expect(events[0]?.sync).toEqual({ kind: 'acquire', lock, mode: 'excl' });
    const why = m.blocked(last, 1);
    expect(why, 'B must wait for the lock A holds').toEqual({
      kind: 'lock',
      lock,
      mode: 'excl',
      holders: [0],
    });
    expect(describeBlock(m, 1, why ?? { kind: 'done' })).toBe(
      `B cannot run: ${lock} (excl) is held by A`,
    );
    const released = steps(inst, [0, 0]);
    expect(released.events[1]?.sync).toEqual({ kind: 'release', lock, mode: 'excl' });
    expect(released.m.blocked(released.last, 1), 'unlock must let B in').toBeNull();
  });
});

describe('rwlock', () => {
  const three = (modes: LockMode[]) =>
    scenario(modes.map((mode, t) => thread(`T${t}`, section('rw', mode))));

  it.each([
    { modes: ['read', 'read', 'read'], held: [0, 1], blocked: null },
    { modes: ['read', 'read', 'write'], held: [0, 1], blocked: [0, 1] },
    { modes: ['write', 'read', 'read'], held: [0], blocked: [0] },
    { modes: ['write', 'write', 'write'], held: [0], blocked: [0] },
    { modes: ['read', 'write', 'read'], held: [0], blocked: null },
  ] as { modes: LockMode[]; held: number[]; blocked: number[] | null }[])(
    '$modes: after $held lock, T2 waits for $blocked',
    ({ modes, held, blocked }) => {
      const { m, last } = steps(three(modes), held);
      const why = m.blocked(last, 2);
      expect(why, 'T2 blocked exactly by the conflicting holders').toEqual(
        blocked && { kind: 'lock', lock: 'rw', mode: modes[2], holders: blocked },
      );
    },
  );

  it('a reader that holds the lock blocks a writer until it leaves', () => {
    const { m, states } = steps(three(['read', 'write', 'read']), [0, 0]);
    expect(m.blocked(states[1] as Int32Array, 1)).not.toBeNull();
    expect(m.blocked(states[2] as Int32Array, 1)).toBeNull();
  });
});

describe('unlock of a lock not held', () => {
  it.each([
    { name: 'mutex never taken', lock: 'm', mode: 'excl', other: false },
    { name: 'mutex held by another thread', lock: 'm', mode: 'excl', other: true },
    { name: 'rwlock read_unlock without read_lock', lock: 'rw', mode: 'read', other: false },
    {
      name: 'rwlock write_unlock while another thread reads',
      lock: 'rw',
      mode: 'write',
      other: true,
    },
  ] as { name: string; lock: string; mode: LockMode; other: boolean }[])('$name', (c) => {
    const inst = scenario([
      thread('A', (b) => b.lock(c.lock, c.mode === 'write' ? 'read' : c.mode, '')),
      thread('B', (b) => b.unlock(c.lock, c.mode, '')),
    ]);
    expect(() => runSchedule(inst, c.other ? [0, 1] : [1])).toThrow(ScenarioError);
  });

  it('a lock mode that does not fit the lock type is a ScenarioError', () => {
    const inst = scenario([thread('A', (b) => b.lock('m', 'read', ''))]);
    expect(() => new Machine(inst)).toThrow(/m is a mutex; mode 'read' does not apply/);
  });
});

/** B: synchronize_srcu(srcu) in two steps (start, wait). A: a read-side section, twice. */
const srcu = scenario([
  thread('A', (b) => {
    b.srcuReadLock('srcu', 'idx', '');
    b.srcuReadUnlock('srcu', '');
    b.srcuReadLock('srcu', undefined, '');
    b.srcuReadUnlock('srcu', '');
  }),
  thread('B', (b) => b.synchronizeSrcu('srcu', 'synchronize_srcu(&kvm->srcu);')),
]);

describe('SRCU grace period', () => {
  it.each([
    { name: 'a reader inside before the start is waited for', schedule: [0, 1], waits: true },
    { name: 'a reader that enters after the start is not', schedule: [1, 0], waits: false },
    {
      name: 'one that left and re-entered after the start is not',
      schedule: [0, 1, 0, 0],
      waits: false,
    },
    { name: 'one that left before the start is not', schedule: [0, 0, 1], waits: false },
  ])('$name', ({ schedule, waits }) => {
    const { m, events, last } = steps(srcu, schedule);
    const gp = events.find((e) => e.sync?.kind === 'gp-start');
    expect(gp?.sync).toMatchObject({ kind: 'gp-start', domain: 'srcu' });
    expect(m.blocked(last, 1), 'the wait is blocked iff a pre-existing reader is inside').toEqual(
      waits ? { kind: 'grace-period', domain: 'srcu', readers: [0] } : null,
    );
  });

  it('ends the grace period when the reader leaves, with gp-end', () => {
    const { events } = steps(srcu, [0, 1, 0, 1]);
    expect(events.map((e) => e.sync?.kind)).toEqual([
      'srcu-read-lock',
      'gp-start',
      'srcu-read-unlock',
      'gp-end',
    ]);
    expect(events[1]?.sync).toEqual({ kind: 'gp-start', domain: 'srcu', readers: [0] });
  });

  it('property (seed 0x5c0): the wait is enabled iff every reader seen at the start has left', () => {
    const inst = scenario([
      thread('R0', (b) =>
        [0, 1].forEach(() => (b.srcuReadLock('srcu', undefined, ''), b.srcuReadUnlock('srcu', ''))),
      ),
      thread('R1', (b) => (b.srcuReadLock('srcu', undefined, ''), b.srcuReadUnlock('srcu', ''))),
      thread('S', (b) => b.synchronizeSrcu('srcu', '')),
    ]);
    const m = new Machine(inst);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (choices) => {
        let s = m.initial();
        let waitingFor = new Set<number>();
        for (const [i, c] of choices.entries()) {
          const r = m.runnable(s);
          const t = r[c % Math.max(1, r.length)];
          if (t === undefined) break;
          const { state, event } = m.step(s, t, i);
          if (event.sync?.kind === 'gp-start') waitingFor = new Set(event.sync.readers);
          if (event.sync?.kind === 'srcu-read-unlock') waitingFor.delete(t);
          s = state;
          const atWait = m.pc(s, 2) === 1;
          const enabled = !m.done(s, 2) && (!atWait || waitingFor.size === 0);
          expect(m.blocked(s, 2) === null, `S's wait vs the readers it saw at the start`).toBe(
            enabled,
          );
        }
      }),
      { seed: 0x5c0, numRuns: 300 },
    );
  });
  it('a reader leaving another domain does not end the grace period', () => {
    const inst = scenario(
      [
        thread('A', (b) => {
          b.srcuReadLock('srcu', undefined, '');
          b.srcuReadLock('irq_srcu', undefined, '');
          b.srcuReadUnlock('irq_srcu', '');
          b.srcuReadUnlock('srcu', '');
        }),
        thread('B', (b) => b.synchronizeSrcu('srcu', '')),
      ],
      { machine: { srcu: ['srcu', 'irq_srcu'] } },
    );
    const { m, last } = steps(inst, [0, 0, 1, 0]);
    expect(m.blocked(last, 1), 'A is still inside srcu').toEqual({
      kind: 'grace-period',
      domain: 'srcu',
      readers: [0],
    });
  });
});

/** locking.rst: synchronize_srcu under a mutex that a reader takes inside its section. */
const srcuDeadlock = scenario([
  thread('A', (b) => {
    b.srcuReadLock('srcu', undefined, 'idx = srcu_read_lock(&kvm->srcu);');
    b.lock('m', 'excl', 'mutex_lock(&kvm->slots_lock);');
    b.unlock('m', 'excl', 'mutex_unlock(&kvm->slots_lock);');
    b.srcuReadUnlock('srcu', 'srcu_read_unlock(&kvm->srcu, idx);');
  }),
  thread('B', (b) => {
    b.lock('m', 'excl', 'mutex_lock(&kvm->slots_lock);');
    b.synchronizeSrcu('srcu', 'synchronize_srcu(&kvm->srcu);');
    b.unlock('m', 'excl', 'mutex_unlock(&kvm->slots_lock);');
  }),
]);

describe('deadlocks', () => {
  it('SRCU: reader waits for slots_lock, holder waits for the reader', () => {
    const run = runSchedule(srcuDeadlock, [0, 1, 1], { complete: true });
    expect(run.final).toBe(true);
    const v = run.violations.find((x) => x.kind === 'deadlock');
    expect(v, 'no thread can run: the engine must report a deadlock').toBeDefined();
    expect(new Set(v?.cycle)).toEqual(new Set(['A', 'B']));
    expect(v?.message).toContain('synchronize_srcu(srcu) waits for readers A');
  });

  it.each([[[0, 0, 0, 0]], [[1, 1, 0]], [[1, 1, 1, 1]]])('SRCU: schedule %j completes', (sch) => {
    const run = runSchedule(srcuDeadlock, sch, { complete: true });
    expect(run.violations).toEqual([]);
    expect(run.states.length - 1, 'every op of both threads ran').toBe(8);
  });

  it('AB/BA mutexes: reported with its cycle', () => {
    const abba = (first: string, second: string) => (b: ProgramBuilder) => {
      b.lock(first, 'excl', '');
      b.lock(second, 'excl', '');
      b.unlock(second, 'excl', '');
      b.unlock(first, 'excl', '');
    };
    const inst = scenario([thread('A', abba('m', 'n')), thread('B', abba('n', 'm'))]);
    const run = runSchedule(inst, [0, 1], { complete: true });
    expect(run.violations.map((v) => v.kind)).toEqual(['deadlock']);
    expect(run.violations[0]?.step, 'a deadlock dates from the last step').toBe(1);
    expect(new Set(run.violations[0]?.cycle)).toEqual(new Set(['A', 'B']));
    expect(runSchedule(inst, [0, 0], { complete: true }).violations).toEqual([]);
    const all = exploreStateGraph(inst);
    expect(all.violationsByKind, 'exactly the interleavings A1,B1 and B1,A1').toEqual({
      deadlock: 2,
    });
  });
  it('a cycle through the second of several readers is found', () => {
    const inst = scenario([
      thread('T0', (b) => (b.lock('m', 'excl', ''), b.lock('rw', 'write', ''))),
      thread('T1', (b) => (b.lock('rw', 'read', ''), b.await(['ld', ['y']], 'y is set', ''))),
      thread('T2', (b) => (b.lock('rw', 'read', ''), b.lock('m', 'excl', ''))),
    ]);
    const run = runSchedule(inst, [0, 1, 2], { complete: true });
    expect(new Set(run.violations[0]?.cycle)).toEqual(new Set(['T0', 'T2']));
  });
});
