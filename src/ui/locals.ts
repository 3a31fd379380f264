import type { TraceData } from '../worker/protocol';
import { formatSpte } from '../engine/spte';

/** One thread-local register at the cursor, as the inspector shows it. */
export interface Local {
  /** The engine's register name (`old`). */
  reg: string;
  /** The C name the program gives it (`old_spte`), from the line that last set it. */
  label: string;
  value: number;
  /** The value in the machine's terms: an SPTE's fields, a gfn's name, a pfn. */
  shown: string;
  /** Set when a plain load copied it from memory. */
  source?: {
    loc: number;
    /** The location's name in the trace (`spte[0]`). */
    name: string;
    /** The step (0-based) of the load. */
    step: number;
    /** That location now, in the same terms as `shown`. */
    nowShown: string;
    /** Memory no longer holds the value the register copied. */
    stale: boolean;
    /** Another write hit the location since the load, yet it holds the same value again (ABA). */
    rewritten: boolean;
  };
}

// The left-hand side of `old_spte = mmu_spte_get_lockless(sptep);`.
const LHS = /^\s*(?:[A-Za-z_][\w]*\s+)?\**([A-Za-z_][\w]*)\s*=(?!=)/;

/**
 * Formats a value by what it stands for. Where the register was loaded from
 * says it best (an `spte` holds an SPTE, `spgfn`/`gpte` a gfn, `hostmap` a
 * pfn); otherwise the C name does: a `..._spte` variable is an SPTE.
 */
function formatter(trace: TraceData) {
  const gfn = (v: number) => trace.machine.gfnNames[v] ?? `gfn${v}`;
  return (value: number, array: string | undefined, label: string): string => {
    if (array === 'spte' || (array === undefined && /spte/.test(label))) return formatSpte(value);
    if (array === 'spgfn' || array === 'gpte' || (array === undefined && label === 'gfn'))
      return gfn(value);
    if (array === 'hostmap' || (array === undefined && label === 'pfn'))
      return value ? `pfn${value}` : 'none';
    return String(value);
  };
}

/**
 * Thread t's registers after `cursor` steps, from the recorded events only,
 * each with where it was loaded from and whether memory has moved on since:
 * the stale `gfn` (and the same-again `old_spte`) an ABA cmpxchg relies on.
 */
export function localsAt(trace: TraceData, t: number, cursor: number, mem: number[]): Local[] {
  const th = trace.threads[t];
  if (!th) return [];
  const last = new Map<string, { value: number; from?: number; step: number; label: string }>();
  const end = Math.min(cursor, trace.steps.length);
  for (let i = 0; i < end; i++) {
    const ev = trace.steps[i];
    if (ev?.thread !== t) continue;
    const text = th.ops[ev.pc]?.text ?? '';
    for (const w of ev.regs) {
      const m = LHS.exec(text);
      const label = m?.[1] && ev.regs.length === 1 ? m[1] : w.reg;
      last.set(w.reg, {
        value: w.value,
        step: i,
        label,
        ...(w.from !== undefined && { from: w.from }),
      });
    }
  }
  const fmt = formatter(trace);
  return th.regs.flatMap((reg): Local[] => {
    const r = last.get(reg);
    if (!r) return [];
    const array = r.from === undefined ? undefined : trace.locations[r.from]?.array;
    const local: Local = {
      reg,
      label: r.label,
      value: r.value,
      shown: fmt(r.value, array, r.label),
    };
    if (r.from !== undefined) {
      const now = mem[r.from] ?? 0;
      let rewritten = false;
      for (let i = r.step + 1; i < end && !rewritten; i++)
        rewritten = (trace.steps[i]?.accesses ?? []).some(
          (a) => a.loc === r.from && a.kind !== 'read' && trace.steps[i]?.thread !== t,
        );
      local.source = {
        loc: r.from,
        name: trace.locations[r.from]?.name ?? `#${r.from}`,
        step: r.step,
        nowShown: fmt(now, array, r.label),
        stale: now !== r.value,
        rewritten: rewritten && now === r.value,
      };
    }
    return [local];
  });
}
