import { describe, expect, it } from 'vitest';
import { Machine } from './machine';
import { StateStore } from './stateStore';
import { SteppedState } from './steppedState';
import { checkSteppedWalks } from './steppedStateCheck';
import { WriteLog } from './writeLog';
import { prng, randomScenario, scenario, thread } from './testing';

describe('SteppedState', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))(
    'fuzz (seed %i): random walks with undo agree with copied states and whole-state hashes',
    (seed) => {
      const rand = prng(seed);
      const inst = randomScenario(rand, 2 + Math.floor(rand() * 3), 6 + Math.floor(rand() * 8));
      expect(checkSteppedWalks(inst, rand, 30)).toBeNull();
    },
  );

  it('a step that writes an int back to its old value leaves the hash and the log as they were', () => {
    const inst = scenario([
      thread('a', (b) => b.store(['x'], 5, 'x = 5;').store(['x'], 0, 'x = 0;')),
    ]);
    const m = new Machine(inst);
    const s0 = m.initial();
    const store = new StateStore(s0);
    const cur = new SteppedState(m, store, s0);
    const h0 = cur.hash;
    const first = cur.step(0);
    expect(cur.hash).not.toBe(h0);
    cur.step(0);
    // x is back to 0, but both pcs moved: only the pc differs from s0.
    const pcOnly = s0.slice();
    pcOnly[m.shape.pcBase] = 2;
    expect(cur.hash).toBe(store.hashOf(pcOnly));
    cur.undo(first, h0);
    expect(Array.from(cur.s)).toEqual(Array.from(s0));
    expect(Array.from(cur.nz).every((w) => w === 0)).toBe(true);
  });
});

describe('WriteLog', () => {
  it('logs exactly the ints a step changes, with their old and new values', () => {
    const inst = scenario([
      thread('a', (b) => b.store(['x'], 7, 'x = 7;').store(['x'], 7, 'x = 7;')),
    ]);
    const m = new Machine(inst);
    const s = m.initial();
    const log = new WriteLog();
    m.logWrites(log);
    const before = s.slice();
    m.stepInPlace(s, 0);
    const changed = Array.from(s.keys()).filter((i) => s[i] !== before[i]);
    const logged = [];
    for (let k = 0; k < log.length; k += 3)
      logged.push([log.a[k], log.a[k + 1], log.a[k + 2]] as const);
    expect(logged).toEqual(changed.map((i) => [i, before[i], s[i]]));
    // The second store writes 7 over 7: only the pc changes.
    const mark = log.length;
    m.stepInPlace(s, 0);
    expect((log.length - mark) / 3).toBe(1);
    expect(log.a[mark]).toBe(m.shape.pcBase);
    m.logWrites(null);
    m.stepInPlace(s, 0);
    expect(log.length).toBe(mark + 3);
  });
});
