import type { LockMode, LockType } from '../model';
import { ScenarioError } from '../errors';

/**
 * Lock state lives in one memory word per lock, so that locks are part of the
 * hashed machine state and every lock operation is an access to that word.
 *
 * - mutex and spinlock: owner thread + 1, or 0 when free. Both are modelled
 *   as blocking (a spinning CPU takes no steps while it waits), so the
 *   difference is only which rules apply (sleeping inside a spinlock).
 * - rwlock (x86 `mmu_lock`): readers as a bit mask in bits 0..15, the writer
 *   thread + 1 in bits 16 and up. A writer needs no readers and no writer; a
 *   reader needs no writer. Queued-rwlock fairness (new readers queue behind a
 *   waiting writer) is not modelled: a waiting thread has taken no step.
 */

export const MAX_THREADS = 16;

/** Reader-writer locks, spinning or sleeping: readers share, a writer excludes. */
const isRw = (type: LockType): boolean => type === 'rwlock' || type === 'rwsem';
const WRITER_SHIFT = 16;
const READERS_MASK = (1 << WRITER_SHIFT) - 1;

export function lockHolders(type: LockType, word: number): number[] {
  if (!isRw(type)) return word === 0 ? [] : [word - 1];
  const holders: number[] = [];
  const writer = word >>> WRITER_SHIFT;
  if (writer) holders.push(writer - 1);
  for (let t = 0; t < MAX_THREADS; t++) if (word & (1 << t)) holders.push(t);
  return holders;
}

/** Whether thread t holds the lock (lockHolders(type, word).includes(t), without an array). */
export function lockHolds(type: LockType, word: number, t: number): boolean {
  if (!isRw(type)) return word === t + 1;
  return word >>> WRITER_SHIFT === t + 1 || (t < MAX_THREADS && (word & (1 << t)) !== 0);
}

/** Whether the lock can be taken in `mode` (lockConflicts is empty), without an array. */
export function lockFree(type: LockType, word: number, mode: LockMode): boolean {
  if (!isRw(type)) return word === 0;
  if (mode === 'read') return word >>> WRITER_SHIFT === 0;
  return word === 0;
}

/** Threads that hold the lock in a way that conflicts with `mode`; empty when it can be taken. */
export function lockConflicts(type: LockType, word: number, mode: LockMode): number[] {
  if (!isRw(type)) return word === 0 ? [] : [word - 1];
  const writer = word >>> WRITER_SHIFT;
  if (mode === 'read') return writer ? [writer - 1] : [];
  return lockHolders(type, word);
}

export function lockAcquire(type: LockType, word: number, mode: LockMode, t: number): number {
  if (!isRw(type)) return t + 1;
  if (mode === 'read') return word | (1 << t);
  return (word & READERS_MASK) | ((t + 1) << WRITER_SHIFT);
}

export function lockRelease(
  type: LockType,
  word: number,
  mode: LockMode,
  t: number,
  name: string,
): number {
  if (!isRw(type)) {
    if (word !== t + 1)
      throw new ScenarioError(`unlock of ${name}, which this thread does not hold`);
    return 0;
  }
  if (mode === 'read') {
    if (!(word & (1 << t))) throw new ScenarioError(`read_unlock of ${name} without read_lock`);
    return word & ~(1 << t);
  }
  if (word >>> WRITER_SHIFT !== t + 1)
    throw new ScenarioError(`write_unlock of ${name}, which this thread does not hold for write`);
  return word & READERS_MASK;
}

export function checkMode(type: LockType, mode: LockMode, name: string): void {
  const ok = isRw(type) ? mode !== 'excl' : mode === 'excl';
  if (!ok) throw new ScenarioError(`${name} is a ${type}; mode '${mode}' does not apply`);
}
