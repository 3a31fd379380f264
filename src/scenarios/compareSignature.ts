import type { TraceData } from '../engine';

/**
 * What a step is and what it does to shared state, as two strings that are
 * equal exactly when two runs' steps count as the same: `op` names the thread,
 * kernel function and line; `effect` lists the shared (non-ghost) locations
 * written with their new values, the lock or SRCU event and the result
 * ("cmpxchg failed"). Locations are compared by name, not index, because two
 * variants may lay memory out differently.
 */
export function stepSignature(trace: TraceData, step: number): { op: string; effect: string } {
  const ev = trace.steps[step];
  if (!ev) return { op: '(nothing)', effect: '' };
  const th = trace.threads[ev.thread];
  const op = th?.ops[ev.pc];
  const writes = ev.accesses
    .filter((x) => x.kind !== 'read' && trace.locations[x.loc]?.ghost !== true)
    .map((x) => `${trace.locations[x.loc]?.name ?? `#${x.loc}`} = ${x.value}`)
    .sort();
  const sync = ev.sync
    ? [
        'lock' in ev.sync
          ? `${ev.sync.kind} ${ev.sync.lock}`
          : 'domain' in ev.sync
            ? `${ev.sync.kind} ${ev.sync.domain}`
            : ev.sync.kind,
      ]
    : [];
  const outcome = ev.outcome !== undefined ? [`→ ${ev.outcome}`] : [];
  return {
    op: `${th?.name ?? '?'} ${op?.fn ?? '?'}: ${op?.text ?? '?'}`,
    effect: [...writes.map((w) => `writes ${w}`), ...sync, ...outcome].join(', '),
  };
}
