import { Machine } from './machine';
import type { ScenarioInstance } from './model';
import { StateStore } from './stateStore';
import { SteppedState } from './steppedState';

/**
 * For tests: random walks through `inst` with a SteppedState, checked at
 * every state against a search that copies states (stepQuiet, settle) and
 * encodes them whole (StateStore.add): the stepped state equals the copied
 * one, its difference bitmap and hash equal ones computed from scratch,
 * addMarked gives add()'s id, and undoing steps gives back exactly the
 * earlier state (and its bitmap). Returns the first disagreement, or null.
 */
export function checkSteppedWalks(
  inst: ScenarioInstance,
  rand: () => number,
  walks: number,
): string | null {
  const m = new Machine(inst);
  const s0 = m.initial();
  for (let t = 0; t < m.threadCount; t++) m.settleInPlace(s0, t);
  const marked = new StateStore(s0);
  const whole = new StateStore(s0);
  // Its own machine: the reference's steps must not land in the stepped state's log.
  const cur = new SteppedState(new Machine(inst), marked, s0);
  const runnable = new Int32Array(m.threadCount);
  for (let w = 0; w < walks; w++) {
    // The path so far: copies of its states, their hashes and the marks to undo to.
    const copies: Int32Array[] = [s0];
    const hashes: number[] = [cur.hash];
    const marks: number[] = [];
    for (;;) {
      const s = copies[copies.length - 1] as Int32Array;
      const where = `walk ${w}, depth ${marks.length}`;
      const problem = compare(whole, cur, s);
      if (problem) return `${where}: ${problem}`;
      if (marked.addMarked(cur.s, cur.nz, cur.hash) !== whole.add(s))
        return `${where}: addMarked and add give different ids`;
      const n = m.runnableInto(s, runnable);
      if (n === 0) break;
      // Now and then go back a few steps and on from there: undo is exercised mid-path too.
      if (marks.length > 0 && rand() < 0.15) {
        const back = 1 + Math.floor(rand() * marks.length);
        cur.undo(marks[marks.length - back] as number, hashes[hashes.length - 1 - back] as number);
        marks.length -= back;
        copies.length -= back;
        hashes.length -= back;
        continue;
      }
      const t = runnable[Math.floor(rand() * n)] as number;
      marks.push(cur.step(t));
      copies.push(m.settle(m.stepQuiet(s, t), t));
      hashes.push(cur.hash);
    }
    cur.undo(0, hashes[0] as number);
  }
  cur.detach();
  return compare(whole, cur, s0);
}

function compare(whole: StateStore, cur: SteppedState, s: Int32Array): string | null {
  for (let i = 0; i < s.length; i++)
    if (cur.s[i] !== s[i]) return `int ${i} is ${cur.s[i]}, the copied state has ${s[i]}`;
  if (cur.hash !== whole.hashOf(s)) return 'the hash differs from the whole-state hash';
  const base = whole.baseState;
  for (let i = 0; i < s.length; i++) {
    const bit = (((cur.nz[i >> 5] as number) >>> (i & 31)) & 1) === 1;
    if (bit !== (s[i] !== base[i])) return `the bitmap is wrong at int ${i}`;
  }
  return null;
}
