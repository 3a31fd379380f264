import type { TraceData } from '../worker/protocol';
import { localsAt, type Local } from './locals';

function LocalChip({ l }: { l: Local }) {
  const s = l.source;
  const state = s?.stale ? 'stale' : s?.rewritten ? 'rewritten' : undefined;
  const from = s ? `read from ${s.name} at step ${s.step}` : undefined;
  return (
    <li
      className={`local${state ? ` ${state}` : ''}`}
      data-testid={`local-${l.label}`}
      data-state={state}
    >
      <code>{l.label}</code> = <code>{l.shown}</code>
      {s && <span className="local-from"> ({from})</span>}
      {s?.stale && (
        <strong className="local-mark">
          {' '}
          ≠ {s.name} now <code>{s.nowShown}</code>: stale
        </strong>
      )}
      {s?.rewritten && (
        <strong className="local-mark">
          {' '}
          = {s.name} again, but rewritten since the read (ABA)
        </strong>
      )}
    </li>
  );
}

/**
 * Each thread's registers at the cursor with their values, and where a plain
 * load copied one from memory, whether memory still holds it: the stale value
 * a cmpxchg relies on is visible here, not only in the narration.
 */
export function Locals({
  trace,
  cursor,
  mem,
  only,
}: {
  trace: TraceData;
  cursor: number;
  mem: number[];
  /** Show only locals loaded from memory (the compact talk-mode panel). */
  only?: 'loaded';
}) {
  const rows = trace.threads.flatMap((th, t) => {
    const ls = localsAt(trace, t, cursor, mem).filter((l) => !only || l.source);
    return ls.length ? [{ th, t, ls }] : [];
  });
  if (rows.length === 0) return null;
  return (
    <>
      <h3>CPU locals</h3>
      <ul className="plain locals" data-testid="locals">
        {rows.map(({ th, t, ls }) => (
          <li key={t}>
            <strong>{th.name}</strong>
            <ul className="plain local-list">
              {ls.map((l) => (
                <LocalChip key={l.reg} l={l} />
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </>
  );
}
