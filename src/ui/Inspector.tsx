import { useMemo } from 'react';
import { useApp } from './storeContext';
import { selectCursor, selectTrace } from '../store/selectors';
import { changedAt, memoryAt } from '../store/derive';
import type { TraceData } from '../worker/protocol';
import { decodeSpte } from '../engine/spte';
import { decodeTlb } from '../engine/hardware';
import { lockHolders } from '../engine/sync/lockword';
import { srcuReaders } from '../engine/sync/srcu';
import { SpteBits } from './SpteBits';
import { DirtyRing, ringHolds } from './DirtyRing';
import { vcpuOwner } from '../timeline/labels';
import { Locals } from './Locals';

/** Flat memory index of array[index] in this trace's layout. */
function indexer(trace: TraceData) {
  const map = new Map<string, number>();
  trace.locations.forEach((l, i) => map.set(`${l.array}:${l.index}`, i));
  return (array: string, index = 0) => map.get(`${array}:${index}`) ?? -1;
}

/** The machine at the cursor; what the last step changed is highlighted. */
export function Inspector() {
  const trace = useApp(selectTrace);
  const cursor = useApp(selectCursor);
  const at = useMemo(() => (trace ? indexer(trace) : null), [trace]);
  if (!trace || !at) return null;
  const mem = memoryAt(trace, cursor);
  const changed = changedAt(trace, cursor);
  const m = trace.machine;
  const val = (array: string, i = 0) => mem[at(array, i)] ?? 0;
  const hot = (array: string, i = 0) => (changed.has(at(array, i)) ? 'changed' : undefined);
  const gfn = (g: number) => m.gfnNames[g] ?? `gfn${g}`;
  const status = trace.status[cursor] ?? [];
  const name = (t: number) => trace.threads[t]?.name ?? `#${t}`;
  const bitmap = val('dirty_bitmap');

  return (
    <section
      className="inspector"
      aria-label="State"
      data-testid="inspector"
      id="state"
      tabIndex={-1}
    >
      {m.slots.length > 0 && <h3>SPTEs</h3>}
      <table>
        <tbody>
          {m.slots.map((slot, i) => {
            const f = decodeSpte(val('spte', i));
            return (
              <tr key={slot.name} className={hot('spte', i)} data-testid={`spte-${slot.name}`}>
                <th scope="row">{slot.name}</th>
                <td>
                  {f.kind === 'present' ? (
                    <SpteBits value={val('spte', i)} />
                  ) : (
                    <code>{f.kind.toUpperCase()}</code>
                  )}
                </td>
                <td className={hot('spgfn', i)}>
                  {m.indirect
                    ? `gfn recorded: ${gfn(val('spgfn', i))}`
                    : `maps ${gfn(slot.gfn)} (direct SP)`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <Locals trace={trace} cursor={cursor} mem={mem} />

      {m.indirect && (
        <>
          <h3>Guest PTEs</h3>
          <p>
            {trace.locations
              .filter((l) => l.array === 'gpte')
              .map((l) => (
                <span key={l.index} className={`chip ${hot('gpte', l.index) ?? ''}`}>
                  gpte[{l.index}] → {gfn(val('gpte', l.index))}
                </span>
              ))}
          </p>
        </>
      )}

      <h3>
        Dirty log {val('dirty_logging') ? '(logging on)' : '(logging off)'}
        {m.pml ? ', D-bit logging (PML)' : ''}
      </h3>
      <table data-testid="dirty-log">
        <thead>
          <tr>
            <th>gfn</th>
            <th>bitmap</th>
            <th title="Ghost: written since the migration destination last copied it">
              written since copy
            </th>
            <th>host map</th>
          </tr>
        </thead>
        <tbody>
          {m.gfnNames.map((g, i) => {
            const pending = val('ghost_pending', i) !== 0;
            const marked = (bitmap & (1 << i)) !== 0;
            const inRing = ringHolds(m, val, i);
            return (
              <tr
                key={g}
                data-testid={`gfn-${g}`}
                className={pending && !marked && !inRing ? 'at-risk' : undefined}
              >
                <th scope="row">{g}</th>
                <td className={hot('dirty_bitmap')}>
                  {marked ? '■ set' : '□'}
                  {inRing ? ' (on a ring)' : ''}
                </td>
                <td className={hot('ghost_pending', i)}>{pending ? 'yes' : ''}</td>
                <td className={hot('hostmap', i)}>
                  {val('hostmap', i) ? `pfn${val('hostmap', i)}` : 'not resident'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <DirtyRing trace={trace} val={val} hot={hot} />

      <h3>Pages</h3>
      <table>
        <thead>
          <tr>
            <th>pfn</th>
            <th>holds</th>
            <th>version</th>
            <th>refcount</th>
            <th>Dirty</th>
            <th>Accessed</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: m.pfns }, (_, k) => k + 1).map((p) => {
            const owner = val('page_owner', p);
            return (
              <tr key={p} data-testid={`pfn-${p}`}>
                <th scope="row">pfn{p}</th>
                <td className={hot('page_owner', p)}>
                  {owner >= 0 ? `${gfn(owner)}'s data` : 'free'}
                </td>
                <td className={hot('page_data', p)}>{val('page_data', p)}</td>
                <td className={hot('page_ref', p)}>{val('page_ref', p)}</td>
                <td className={hot('page_dirty', p)}>{val('page_dirty', p) ? 'dirty' : 'clean'}</td>
                <td className={hot('page_accessed', p)}>{val('page_accessed', p) ? 'yes' : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>

      {m.slots.length > 0 && <h3>TLBs</h3>}
      <ul className="plain">
        {Array.from({ length: m.slots.length > 0 ? m.vcpus : 0 }, (_, v) => (
          <li key={v} data-testid={`tlb-${v}`}>
            {/* Named after the thread on that vCPU slot, never the slot number. */}
            {vcpuOwner(trace.threads, v)}:{' '}
            {m.slots.map((slot, i) => {
              const e = decodeTlb(val('tlb', v * m.slots.length + i));
              return e.valid ? (
                <span
                  key={slot.name}
                  className={`chip ${hot('tlb', v * m.slots.length + i) ?? ''}`}
                >
                  {slot.name} → pfn{e.pfn} {e.w ? 'writable' : 'read-only'}
                  {e.dirty ? ', D cached' : ''}
                </span>
              ) : null;
            })}
            {m.slots.every((_, i) => !decodeTlb(val('tlb', v * m.slots.length + i)).valid) && (
              <em>empty</em>
            )}
          </li>
        ))}
      </ul>

      <h3>Locks and SRCU</h3>
      <ul className="plain" data-testid="locks">
        {trace.locks.map((l) => {
          const holders = lockHolders(l.type, val(`lock:${l.name}`));
          const waiters = status.flatMap((s, t) =>
            s.block?.kind === 'lock' && s.block.lock === l.name ? [t] : [],
          );
          return (
            <li
              key={l.name}
              className={hot(`lock:${l.name}`)}
              title={
                l.info
                  ? `${l.info.type}; ${l.info.arch}; protects ${l.info.protects} (${l.info.source})`
                  : undefined
              }
            >
              <code>{l.name}</code> <span className="muted">({l.type})</span>:{' '}
              {holders.length ? `held by ${holders.map(name).join(', ')}` : 'free'}
              {waiters.length > 0 && `; waiting: ${waiters.map(name).join(', ')}`}
            </li>
          );
        })}
        {trace.srcu.map((d) => {
          const readers = srcuReaders(val(`srcu:${d}`));
          const gps = status.flatMap((s, t) =>
            s.block?.kind === 'grace-period' && s.block.domain === d
              ? [[t, s.block.readers] as const]
              : [],
          );
          return (
            <li key={d}>
              <code>{d}</code> readers: {readers.length ? readers.map(name).join(', ') : 'none'}
              {gps.map(([t, rs]) => (
                <span key={t}>
                  ; grace period of {name(t)} waits for {rs.map(name).join(', ')}
                </span>
              ))}
            </li>
          );
        })}
        {m.vars.map((name) => (
          <li key={name} className={hot(name)} data-testid={`var-${name}`}>
            <code>{name}</code> = {val(name)}
          </li>
        ))}
        <li>
          <code>mmu_invalidate_seq</code> = {val('mmu_invalidate_seq')},{' '}
          <code>mmu_invalidate_in_progress</code> = {val('mmu_invalidate_in_progress')}
        </li>
      </ul>
    </section>
  );
}
