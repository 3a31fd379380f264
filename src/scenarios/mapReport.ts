/**
 * The outcome map in its JSON form (CLI `explore --map --json`, and the
 * app's text alternative) and the witness of one of its final states.
 */
import {
  formatSchedule,
  runSchedule,
  type OutcomeMap,
  type OutcomeTable,
  type ScenarioInstance,
} from '../engine';

/** Values listed per field in the JSON; `valueCount` says how many there are. */
const VALUES_LISTED = 20;

export interface MapSummary {
  distinctOutcomes: number;
  /** `executions`: states sized by the interleavings (paths) reaching them; `outcomes`: each counts 1 (incomplete search). */
  sizedBy: 'executions' | 'outcomes';
  /** Every field in which final states differ. */
  fields: { name: string; valueCount: number; values: string[]; ghost: boolean }[];
  /** Violation kinds, violating first; inside each, groups by the fields that split it. */
  kinds: {
    kinds: string[];
    outcomes: number;
    executions: number | null;
    groupedBy: string[];
    groups: { fields: Record<string, string>; outcomes: number; executions: number | null }[];
  }[];
}

export function mapSummary(map: OutcomeMap): MapSummary {
  return {
    distinctOutcomes: map.count,
    sizedBy: map.sizedByExecutions ? 'executions' : 'outcomes',
    fields: map.fields.map((f) => ({
      name: f.name,
      valueCount: f.values.length,
      values: f.values.slice(0, VALUES_LISTED),
      ghost: f.ghost,
    })),
    kinds: map.kinds.map((k) => {
      const groups = map.groups.slice(k.firstGroup, k.endGroup);
      return {
        kinds: k.kinds,
        outcomes: k.outcomes,
        executions: k.executions,
        groupedBy: (groups[0]?.key ?? []).map(({ field }) => map.fields[field]?.name ?? '?'),
        groups: groups.map((g) => ({
          fields: Object.fromEntries(
            g.key.map(({ field, value }) => {
              const f = map.fields[field];
              return [f?.name ?? '?', f?.values[value] ?? '?'];
            }),
          ),
          outcomes: g.outcomes,
          executions: g.executions,
        })),
      };
    }),
  };
}

/** A final state's witness as the app replays it: the schedule, and the step just after its first violation. */
export interface MapWitness {
  schedule: string;
  violationStep: number;
}

/** The witness of the state at map position `p` (rebuilt from the search's parent pointers, then replayed once). */
export function mapWitness(
  inst: ScenarioInstance,
  map: Pick<OutcomeMap, 'order' | 'count'>,
  table: Pick<OutcomeTable, 'witness'>,
  p: number,
): MapWitness {
  if (!Number.isInteger(p) || p < 0 || p >= map.count)
    throw new RangeError(`no final state ${p} on the map (it has ${map.count})`);
  const schedule = table.witness(map.order[p] as number);
  const run = runSchedule(inst, schedule, { complete: true });
  const first = run.violations.length ? Math.min(...run.violations.map((v) => v.step)) + 1 : 0;
  return { schedule: formatSchedule(run.schedule), violationStep: first };
}
