import type { TraceData } from '../worker/protocol';
import { KVM_DIRTY_GFN_F_DIRTY, KVM_DIRTY_GFN_F_RESET, ringArrays } from '../engine/dirtyRing';

/** Reads `array[index]` of the memory at the cursor. */
type Val = (array: string, index?: number) => number;
/** The class that highlights what the last step changed. */
type Hot = (array: string, index?: number) => string | undefined;

/** Whether gfn `g` is still reported by an entry KVM has not reset (the check's rule). */
export function ringHolds(m: TraceData['machine'], val: Val, g: number): boolean {
  const size = m.dirtyRingSize ?? 0;
  for (let v = 0; v < m.vcpus; v++)
    for (let i = 0; i < size; i++) {
      const r = ringArrays(v);
      if (val(r.flags, i) && val(r.gfn, i) === g) return true;
    }
  return false;
}

const flagText = (f: number): string =>
  f & KVM_DIRTY_GFN_F_RESET ? 'collected' : f & KVM_DIRTY_GFN_F_DIRTY ? 'dirty' : '';

/**
 * Each vCPU's dirty ring: every entry's gfn and state (dirty: pushed, not
 * collected; collected: handed back, waiting for KVM_RESET_DIRTY_RINGS), and
 * where the kernel's dirty_index and reset_index point.
 */
export function DirtyRing({ trace, val, hot }: { trace: TraceData; val: Val; hot: Hot }) {
  const m = trace.machine;
  const size = m.dirtyRingSize ?? 0;
  if (!size) return null;
  const gfn = (g: number) => m.gfnNames[g] ?? `gfn${g}`;
  return (
    <>
      <h3>Dirty rings</h3>
      {Array.from({ length: m.vcpus }, (_, v) => {
        const r = ringArrays(v);
        const di = val(r.dirtyIndex);
        const ri = val(r.resetIndex);
        return (
          <table key={v} data-testid={`ring-${v}`}>
            <caption style={{ whiteSpace: 'nowrap', textAlign: 'left' }}>
              vCPU{v}: <span className={hot(r.dirtyIndex)}>dirty_index {di}</span>,{' '}
              <span className={hot(r.resetIndex)}>reset_index {ri}</span>
            </caption>
            <thead>
              <tr>
                <th>entry</th>
                <th>gfn</th>
                <th>flags</th>
                <th>index</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: size }, (_, i) => {
                const f = val(r.flags, i);
                const marks = [
                  (di & (size - 1)) === i ? 'next push' : '',
                  (ri & (size - 1)) === i && ri !== di ? 'next reset' : '',
                ].filter(Boolean);
                return (
                  <tr key={i} data-testid={`ring-${v}-${i}`}>
                    <th scope="row">{i}</th>
                    <td className={hot(r.gfn, i)}>{f ? gfn(val(r.gfn, i)) : ''}</td>
                    <td className={hot(r.flags, i)}>{flagText(f) || <em>invalid</em>}</td>
                    <td>{marks.join(', ')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        );
      })}
    </>
  );
}
