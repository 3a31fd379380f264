import { describe, expect, it } from 'vitest';
import { runSchedule } from './run';
import { scenario, thread } from './testing';
import type { CheckKind } from './model';

const RULES: CheckKind[] = ['deadlock', 'lock-order', 'srcu-rule', 'sleep-in-atomic'];
const kinds = (inst: ReturnType<typeof scenario>, schedule: number[]) =>
  runSchedule(inst, schedule, { complete: true }).violations.map((v) => v.kind);

describe('lockdep-style rules', () => {
  const ab = thread('A', (b) =>
    b.lock('m', 'excl', '').lock('n', 'excl', '').unlock('n', 'excl', '').unlock('m', 'excl', ''),
  );
  const ba = thread('B', (b) =>
    b.lock('n', 'excl', '').lock('m', 'excl', '').unlock('m', 'excl', '').unlock('n', 'excl', ''),
  );

  it('AB/BA is a lock-order violation even when the run does not deadlock', () => {
    const inst = scenario([ab, ba], { checks: RULES });
    expect(kinds(inst, [0, 0, 0, 0, 1, 1, 1, 1])).toEqual(['lock-order']);
    // Interleaved, the same programs deadlock, and the order is still reported.
    expect(kinds(inst, [0, 1]).sort()).toEqual(['deadlock', 'lock-order']);
  });

  it('a blocked acquisition is named as an attempt, blocked since the step that blocked it', () => {
    const inst = scenario([ab, ba], { checks: RULES });
    // A takes m (step 1), B takes n (step 2): from then on each waits for the other.
    const run = runSchedule(inst, [0, 1], { complete: true });
    const lo = run.violations.find((v) => v.kind === 'lock-order');
    expect(lo?.message).toBe(
      'possible circular locking dependency between m and n: ' +
        'A took m (step 1) then tried to take n (blocked since step 2); ' +
        'B took n (step 2) then tried to take m (blocked since step 2)',
    );
  });

  it('a consistent order is silent', () => {
    const inst = scenario([ab, ab], { checks: RULES });
    expect(kinds(inst, [0, 0, 0, 0, 1, 1, 1, 1])).toEqual([]);
  });

  it.each([
    [
      'a mutex under a spinlock',
      (b: Parameters<Parameters<typeof thread>[1]>[0]) =>
        b
          .lock('sl', 'excl', '')
          .lock('m', 'excl', '')
          .unlock('m', 'excl', '')
          .unlock('sl', 'excl', ''),
    ],
    [
      'synchronize_srcu under mmu_lock (an rwlock)',
      (b: Parameters<Parameters<typeof thread>[1]>[0]) =>
        b.lock('rw', 'write', '').synchronizeSrcu('srcu', '').unlock('rw', 'write', ''),
    ],
    [
      'a sleeping GUP under a spinlock',
      (b: Parameters<Parameters<typeof thread>[1]>[0]) =>
        b.lock('sl', 'excl', '').gup(0, 'p', false, '').putPage('p', '').unlock('sl', 'excl', ''),
    ],
  ])('%s is sleep-in-atomic', (_name, body) => {
    const inst = scenario([thread('T', body)], { checks: RULES });
    const v = runSchedule(inst, [], { complete: true }).violations;
    expect(v.map((x) => x.kind)).toEqual(['sleep-in-atomic']);
    expect(v[0]?.causes).toHaveLength(2);
  });

  it('an atomic GUP under a spinlock is fine', () => {
    const inst = scenario(
      [
        thread('T', (b) =>
          b.lock('sl', 'excl', '').gup(0, 'p', true, '').putPage('p', '').unlock('sl', 'excl', ''),
        ),
      ],
      { checks: RULES },
    );
    expect(kinds(inst, [])).toEqual([]);
  });

  it('rules apply only to scenarios that ask for them', () => {
    expect(kinds(scenario([ab, ba]), [0, 0, 0, 0, 1, 1, 1, 1])).toEqual([]);
  });
});
