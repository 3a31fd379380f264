import type { CheckKind } from './model';
import type { Machine } from './machine';
import type { OutcomeTable } from './outcomeTable';
import { KINDS } from './exploreTypes';
import { fieldNamer } from './outcomeFields';

/** A field in which final states differ, with the values it takes (as the state panel writes them). */
export interface MapField {
  name: string;
  values: string[];
  /** Index (in `values`) of the value most final states have. */
  mode: number;
  /** Engine bookkeeping (the ghost state behind the checks), not machine state. */
  ghost: boolean;
  /** Preference as a group field: 0 the SPTEs, Dirty flags, dirty log, litmus cells; 2 ghost state. */
  tier: number;
}

/** Final states with the same violation kinds. */
export interface MapKind {
  mask: number;
  kinds: CheckKind[];
  outcomes: number;
  /** Interleavings (paths) ending in them; null when the search is incomplete. */
  executions: number | null;
  /** Their groups: `groups[firstGroup .. endGroup)`. */
  firstGroup: number;
  endGroup: number;
}

/** Final states of one kind that agree on the kind's group fields. */
export interface MapGroup {
  kind: number;
  /** The group fields and this group's value of each (indices into `fields` and its `values`). */
  key: { field: number; value: number }[];
  outcomes: number;
  executions: number | null;
  /** Its final states: positions `start .. end)` of the map order. */
  start: number;
  end: number;
}

/**
 * All distinct final states of a search, grouped for the outcome map: by
 * violation kind (violating kinds first), then by up to two fields in which
 * that kind's states differ, each state sized by the interleavings that
 * reach it. Per-state data is typed arrays indexed by map position (the
 * drawing order); `order` maps a position back to the engine's outcome id
 * (for its witness).
 */
export interface OutcomeMap {
  count: number;
  /** True when sizes are interleaving counts; false (incomplete search) when every state counts 1. */
  sizedByExecutions: boolean;
  /** Every field in which at least two final states differ. */
  fields: MapField[];
  kinds: MapKind[];
  groups: MapGroup[];
  /** Position → outcome id in the table. */
  order: Int32Array;
  /** Position → group index. */
  groupOf: Int32Array;
  /** Position → size (interleavings, or 1). */
  sizes: Float64Array;
  /** Position → violation mask over KINDS. */
  masks: Uint8Array;
  /** `values[p * fields.length + f]`: the index of position p's value of field f. */
  values: Uint16Array;
}

/** Group fields are chosen among those with at most this many values within the kind. */
const MAX_GROUP_VALUES = 8;
const MAX_GROUP_FIELDS = 2;

/**
 * Groups every final state of `table` (see OutcomeMap). Linear in outcomes ×
 * fields; no per-outcome objects.
 *
 * @example
 * const r = exploreStateGraph(inst, { keepOutcomes: true });
 * const map = outcomeMap(new Machine(inst), r.outcomeTable!);
 */
export function outcomeMap(m: Machine, table: OutcomeTable): OutcomeMap {
  const { count: n, width: W, vectors, masks } = table;
  const name = fieldNamer(m);
  // Columns in which some row differs from row 0.
  const varying: number[] = [];
  for (let c = 0; c < W; c++)
    for (let o = 1; o < n; o++)
      if (vectors[o * W + c] !== vectors[c]) {
        varying.push(c);
        break;
      }
  const F = varying.length;
  const raw = new Uint16Array(n * F);
  const fields: MapField[] = varying.map((c, f) => {
    const index = new Map<number, number>();
    const tally: number[] = [];
    for (let o = 0; o < n; o++) {
      const v = vectors[o * W + c] as number;
      let i = index.get(v);
      if (i === undefined) {
        i = index.size;
        // Beyond 65,535 distinct values the rest share the last index: a map cannot show them apart anyway.
        if (i > 0xffff) i = 0xffff;
        else index.set(v, i);
      }
      raw[o * F + f] = i;
      tally[i] = (tally[i] ?? 0) + 1;
    }
    const values = [...index.keys()].map((v) => name.value(c, v));
    const mode = tally.indexOf(Math.max(...tally));
    return { name: name.field(c), values, mode, ghost: name.ghost(c), tier: name.tier(c) };
  });

  const size = (o: number) => (table.executions ? (table.executions[o] as number) : 1);
  // Kinds: violating masks first, the larger first; "no violation" last.
  const byMask = new Map<number, number[]>();
  for (let o = 0; o < n; o++) {
    const mask = masks[o] as number;
    const list = byMask.get(mask) ?? [];
    list.push(o);
    byMask.set(mask, list);
  }
  const total = (os: readonly number[]) => os.reduce((a, o) => a + size(o), 0);
  const maskOrder = [...byMask.keys()].sort(
    (a, b) =>
      Number(a === 0) - Number(b === 0) ||
      total(byMask.get(b) ?? []) - total(byMask.get(a) ?? []) ||
      a - b,
  );

  const kinds: MapKind[] = [];
  const groups: MapGroup[] = [];
  const order = new Int32Array(n);
  const groupOf = new Int32Array(n);
  let pos = 0;
  for (const mask of maskOrder) {
    const members = byMask.get(mask) ?? [];
    const keyFields = chooseGroupFields(members, raw, fields);
    const byKey = new Map<string, number[]>();
    for (const o of members) {
      const k = keyFields.map((f) => raw[o * F + f]).join(',');
      const list = byKey.get(k) ?? [];
      list.push(o);
      byKey.set(k, list);
    }
    const kind = kinds.length;
    const firstGroup = groups.length;
    // Larger groups first; inside one, larger states first (discovery order breaks ties).
    const lists = [...byKey.values()].sort(
      (a, b) => total(b) - total(a) || (a[0] ?? 0) - (b[0] ?? 0),
    );
    for (const list of lists) {
      list.sort((a, b) => size(b) - size(a) || a - b);
      const first = list[0] ?? 0;
      groups.push({
        kind,
        key: keyFields.map((f) => ({ field: f, value: raw[first * F + f] as number })),
        outcomes: list.length,
        executions: table.executions ? total(list) : null,
        start: pos,
        end: pos + list.length,
      });
      for (const o of list) {
        order[pos] = o;
        groupOf[pos++] = groups.length - 1;
      }
    }
    kinds.push({
      mask,
      kinds: KINDS.filter((_, i) => mask & (1 << i)),
      outcomes: members.length,
      executions: table.executions ? total(members) : null,
      firstGroup,
      endGroup: groups.length,
    });
  }

  const values = new Uint16Array(n * F);
  const sizes = new Float64Array(n);
  const posMasks = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const o = order[p] as number;
    values.set(raw.subarray(o * F, o * F + F), p * F);
    sizes[p] = size(o);
    posMasks[p] = masks[o] as number;
  }
  return {
    count: n,
    sizedByExecutions: table.executions !== null,
    fields,
    kinds,
    groups,
    order,
    groupOf,
    sizes,
    masks: posMasks,
    values,
  };
}

/**
 * The fields that split one kind's final states into readable groups: at
 * most MAX_GROUP_FIELDS, each with 2..MAX_GROUP_VALUES values among them.
 * Telling fields first (see MapField.tier), fewer values first, then the most
 * even split (a field where one value holds 99% says little), then layout order.
 */
function chooseGroupFields(
  members: readonly number[],
  raw: Uint16Array,
  fields: readonly MapField[],
): number[] {
  const F = fields.length;
  const ranked: { f: number; tier: number; distinct: number; top: number }[] = [];
  for (let f = 0; f < F; f++) {
    const tally = new Map<number, number>();
    for (const o of members) {
      const v = raw[o * F + f] as number;
      tally.set(v, (tally.get(v) ?? 0) + 1);
    }
    if (tally.size < 2 || tally.size > MAX_GROUP_VALUES) continue;
    const top = Math.max(...tally.values()) / members.length;
    ranked.push({ f, tier: fields[f]?.tier ?? 1, distinct: tally.size, top });
  }
  ranked.sort((a, b) => a.tier - b.tier || a.distinct - b.distinct || a.top - b.top || a.f - b.f);
  return ranked.slice(0, MAX_GROUP_FIELDS).map((r) => r.f);
}
