import type { StepEvent } from './events';

/**
 * Stale-read hazards found in a trace: a thread reads a location, other
 * threads write it, and the first thread then acts on its old read.
 *
 * - `aba`: a cmpxchg succeeds although the location was written in between
 *   (the value came back to what was read, so the compare cannot tell).
 * - `lost-update`: a plain store overwrites a value that changed since the
 *   thread read it; whatever the others wrote is gone.
 *
 * These explain violations (which steps caused them); they are not
 * violations themselves.
 */
export interface Hazard {
  kind: 'aba' | 'lost-update';
  loc: number;
  /** The step whose read was stale. */
  read: number;
  /** The cmpxchg or store that acted on it. */
  at: number;
  /** Other threads' writes to the location in between. */
  writers: number[];
}

export function findHazards(events: readonly StepEvent[]): Hazard[] {
  const lastRead = new Map<string, { step: number; value: number }>();
  const writes = new Map<number, { step: number; thread: number }[]>();
  const out: Hazard[] = [];
  for (const ev of events) {
    for (const a of ev.accesses) {
      const key = `${ev.thread}:${a.loc}`;
      const prior = lastRead.get(key);
      const between = (prior ? (writes.get(a.loc) ?? []) : []).filter(
        (w) => w.step > (prior?.step ?? 0) && w.thread !== ev.thread,
      );
      if (prior && between.length > 0) {
        const casOk = a.kind === 'rmw' && ev.outcome === 'cmpxchg succeeded';
        const blind = a.kind === 'write' && a.old !== prior.value;
        if (casOk || blind)
          out.push({
            kind: casOk ? 'aba' : 'lost-update',
            loc: a.loc,
            read: prior.step,
            at: ev.step,
            writers: between.map((w) => w.step),
          });
      }
      if (a.kind !== 'write') lastRead.set(key, { step: ev.step, value: a.old });
      if (a.kind !== 'read') {
        const list = writes.get(a.loc) ?? [];
        list.push({ step: ev.step, thread: ev.thread });
        writes.set(a.loc, list);
      }
    }
  }
  return out;
}
