import { Machine, summarize, type Outcome, type ScenarioInstance } from '../engine';

/**
 * What makes each listed final state different from the others, field by
 * field: for every field of the state summary (an SPTE, the dirty bitmap, a
 * page's Dirty bit, whether a thread finished, ...), the value most listed
 * states share; an outcome's summary names the fields where it differs,
 * with its value and the common one. Computed in the worker, with the report.
 */
export function outcomeDiffs(
  inst: ScenarioInstance,
  outcomes: readonly Pick<Outcome, 'state'>[],
  max = 4,
): string[][] {
  if (outcomes.length < 2) return outcomes.map(() => []);
  const m = new Machine(inst);
  const rows = outcomes.map((o) => flatten(summarize(m, o.state)));
  const common = new Map<string, string>();
  for (const field of rows[0]?.keys() ?? []) {
    const counts = new Map<string, number>();
    for (const r of rows) {
      const v = r.get(field) ?? '';
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    let best = '';
    let n = -1;
    for (const [v, c] of counts) if (c > n) [best, n] = [v, c];
    if (counts.size > 1) common.set(field, best);
  }
  return rows.map((r) => {
    const out: string[] = [];
    for (const [field, usual] of common) {
      const v = r.get(field) ?? '';
      if (v !== usual) out.push(`${field} = ${v} (most: ${usual})`);
    }
    return out.length > max ? [...out.slice(0, max), `and ${out.length - max} more`] : out;
  });
}

/** Leaf fields of a summary as `path -> text`; the threads' next op is left out (a pc says it). */
function flatten(summary: ReturnType<typeof summarize>): Map<string, string> {
  const out = new Map<string, string>();
  for (const th of summary.threads) out.set(`${th.name}`, th.finished ? 'finished' : 'blocked');
  const walk = (prefix: string, v: unknown): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    else out.set(prefix, Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
  };
  const { threads: _threads, ...rest } = summary;
  walk('', rest);
  return out;
}
