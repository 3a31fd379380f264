import { useApp } from './storeContext';
import { selectCursor, selectTrace } from '../store/selectors';
import { changedAt, locIndex, memoryAt } from '../store/derive';
import { decodeSpte } from '../engine/spte';
import { SpteBits } from './SpteBits';
import { Locals } from './Locals';

/**
 * Talk mode's state: only the evidence of the race, large enough for a room.
 * The SPTEs, the dirty log beside the ghost "written since copy", and the
 * locals each CPU loaded from memory (stale ones marked).
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
      {at('dirty_bitmap') >= 0 && (
        <>
          <h3>Dirty log</h3>
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
      <Locals trace={trace} cursor={cursor} mem={mem} only="loaded" />
    </aside>
  );
}
