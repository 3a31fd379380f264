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
  const fields = new FieldIds();
  const rows = outcomes.map((o) => flatten(summarize(m, o.state), fields));
  // Only the first row's fields are compared (a field it lacks is no common ground).
  const compared = rows[0]?.length ?? 0;
  const common = new Map<number, string>();
  for (let field = 0; field < compared; field++) {
    const counts = new Map<string, number>();
    for (const r of rows) {
      const v = r[field] ?? '';
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
      const v = r[field] ?? '';
      if (v !== usual) out.push(`${fields.name(field)} = ${v} (most: ${usual})`);
    }
    return out.length > max ? [...out.slice(0, max), `and ${out.length - max} more`] : out;
  });
}

/**
 * Dense ids for field paths (`spte.3.pfn`), so that a row is an array of
 * values: 1000 listed outcomes of ~150 fields each built every path string
 * anew, which took most of this function's time.
 */
class FieldIds {
  private readonly names: string[] = [];
  /** Per parent id (-1: the root), its children's ids by key. */
  private readonly children = new Map<number, Map<string, number>>();

  id(parent: number, key: string): number {
    let byKey = this.children.get(parent);
    if (!byKey) this.children.set(parent, (byKey = new Map()));
    let id = byKey.get(key);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(parent < 0 ? key : `${this.names[parent] as string}.${key}`);
      byKey.set(key, id);
    }
    return id;
  }

  name(id: number): string {
    return this.names[id] ?? '?';
  }
}

/** Leaf fields of a summary as values by field id; the threads' next op is left out (a pc says it). */
function flatten(summary: ReturnType<typeof summarize>, fields: FieldIds): string[] {
  const out: string[] = [];
  for (const th of summary.threads)
    out[fields.id(-1, th.name)] = th.finished ? 'finished' : 'blocked';
  const walk = (parent: number, v: unknown): void => {
    for (const [k, x] of Object.entries(v as object)) {
      const id = fields.id(parent, k);
      if (x !== null && typeof x === 'object' && !Array.isArray(x)) walk(id, x);
      else out[id] = Array.isArray(x) ? `[${x.join(', ')}]` : String(x);
    }
  };
  const { threads: _threads, ...rest } = summary;
  walk(-1, rest);
  return out;
}
