import { useApp } from './storeContext';
import { selectCursor, selectTrace } from '../store/selectors';
import { changedAt, locIndex, memoryAt } from '../store/derive';
import { decodeSpte } from '../engine/spte';
import { SpteBits } from './SpteBits';
import { Locals } from './Locals';
import { lockHolders } from '../engine/sync/lockword';

/**
 * Talk mode's state: only the evidence of the race, large enough for a room.
 * The SPTEs, the dirty log beside the ghost "written since copy", the pages'
 * Dirty flags, the locks (for the lock-only scenarios), and the locals each
 * CPU loaded from memory (stale ones marked).
 */
export function CompactState() {
  const trace = useApp(selectTrace);
  const cursor = useApp(selectCursor);
  if (!trace) return null;
  const mem = memoryAt(trace, cursor);
  const changed = changedAt(trace, cursor);
  const m = trace.machine;
  const at = (array: string, i = 0) => locIndex(trace, array, i);
  const val = (array: string, i = 0) => mem[at(array, i)] ?? 0;
  const hot = (array: string, i = 0) => (changed.has(at(array, i)) ? 'changed' : undefined);
  const bitmap = val('dirty_bitmap');
  return (
    // Focusable: it scrolls when the locals overflow, and a keyboard must be able to scroll it.
    <aside className="compact-state" aria-label="State" data-testid="compact-state" tabIndex={0}>
      {m.slots.length > 0 && (
        <>
          <h3>SPTEs</h3>
          <ul className="plain">
            {m.slots.map((slot, i) => (
              <li key={slot.name} className={hot('spte', i)} data-testid={`spte-${slot.name}`}>
                <strong>{slot.name}</strong>{' '}
                {decodeSpte(val('spte', i)).kind === 'present' ? (
                  <SpteBits value={val('spte', i)} />
                ) : (
                  <code>{decodeSpte(val('spte', i)).kind.toUpperCase()}</code>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {/* With logging off and nothing written since a copy, the log is no evidence: leave it out. */}
      {at('dirty_bitmap') >= 0 &&
        (val('dirty_logging') !== 0 || m.gfnNames.some((_, i) => val('ghost_pending', i))) && (
          <>
            <h3>Dirty log{val('dirty_logging') ? '' : ' (logging off)'}</h3>
            <ul className="plain" data-testid="dirty-log">
              {m.gfnNames.map((g, i) => {
                const pending = val('ghost_pending', i) !== 0;
                const marked = (bitmap & (1 << i)) !== 0;
                return (
                  <li key={g} className={pending && !marked ? 'at-risk' : undefined}>
                    <strong>{g}</strong>: {marked ? '■ in bitmap' : '□ not in bitmap'}
                    {pending &&
                      (marked ? ', written since copy' : ', written since copy, not logged')}
                  </li>
                );
              })}
            </ul>
          </>
        )}
      {m.slots.length > 0 && m.pfns > 0 && (
        <>
          <h3>Pages</h3>
          <ul className="plain" data-testid="pages">
            {Array.from({ length: m.pfns }, (_, k) => k + 1).map((p) => {
              const owner = val('page_owner', p);
              return (
                <li key={p} className={hot('page_dirty', p)}>
                  <strong>pfn{p}</strong>:{' '}
                  {owner >= 0 ? `${m.gfnNames[owner] ?? owner}'s data` : 'free'},{' '}
                  {val('page_dirty', p) ? 'Dirty' : 'clean'}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {m.slots.length === 0 && trace.locks.length > 0 && (
        <>
          <h3>Locks</h3>
          <ul className="plain" data-testid="locks">
            {trace.locks.map((l) => {
              const name = (t: number) => trace.threads[t]?.name ?? `#${t}`;
              const holders = lockHolders(l.type, val(`lock:${l.name}`));
              const waiters = (trace.status[cursor] ?? []).flatMap((st, t) =>
                st.block?.kind === 'lock' && st.block.lock === l.name ? [t] : [],
              );
              return (
                <li key={l.name} className={hot(`lock:${l.name}`)}>
                  <code>{l.name}</code>:{' '}
                  {holders.length ? `held by ${holders.map(name).join(', ')}` : 'free'}
                  {waiters.length > 0 && `; waiting: ${waiters.map(name).join(', ')}`}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <Locals trace={trace} cursor={cursor} mem={mem} only="loaded" />
    </aside>
  );
}
