/**
 * The words of the outcome map: a final state's violation, its size, its
 * group and the fields in which it differs from most final states. Shared by
 * the tooltip, the keyboard announcement and the list view.
 */
import type { MapView } from '../../scenarios/mapLayout';
import { formatCount } from '../formatCount';

export type MapText = Pick<
  MapView,
  'fields' | 'groups' | 'kinds' | 'groupOf' | 'masks' | 'sizes' | 'values' | 'sizedByExecutions'
>;

export const KIND_COLOURS: Record<string, string> = {
  'lost-dirty-log': '#c0392b',
  'lost-dirty-bit': '#d35400',
  'stale-mapping': '#8e44ad',
  'stale-tlb-write': '#b03a78',
  deadlock: '#5d4037',
};
export const NO_VIOLATION_COLOUR = '#2e7d5b';

export const kindsLabel = (kinds: readonly string[]) =>
  kinds.length ? kinds.join(' + ') : 'no violation';

/** The colour of a kind group: its first kind's (the legend says which). */
export const kindColour = (kinds: readonly string[]) =>
  kinds.length ? (KIND_COLOURS[kinds[0] ?? ''] ?? '#7b241c') : NO_VIOLATION_COLOUR;

// Not Intl.NumberFormat: see formatCount.ts (and toLocaleString built a formatter per hover).
export const count = formatCount;

/** What a size counts, in the explore panel's words. */
export function sizeUnit(reduced: boolean, n: number): string {
  if (reduced)
    return n === 1 ? 'path of the reduced state graph' : 'paths of the reduced state graph';
  return n === 1 ? 'interleaving' : 'interleavings';
}

/** `pfn1 Dirty = 0, pfn2 Dirty = 1`: the fields a group is keyed by, with its values. */
export function groupLabel(v: Pick<MapText, 'fields' | 'groups'>, g: number): string {
  const key = v.groups[g]?.key ?? [];
  if (key.length === 0) return 'all alike in the grouping fields';
  return key
    .map(({ field, value }) => {
      const f = v.fields[field];
      return `${f?.name ?? '?'} = ${f?.values[value] ?? '?'}`;
    })
    .join(', ');
}

/** Fields where position p's value is not the most common one, as `name = value (most: other)`. */
export function differingFields(v: MapText, p: number, max = 6): string[] {
  const F = v.fields.length;
  const out: string[] = [];
  v.fields.forEach((f, i) => {
    const x = v.values[p * F + i] as number;
    if (x !== f.mode)
      out.push(`${f.name} = ${f.values[x] ?? '?'} (most: ${f.values[f.mode] ?? '?'})`);
  });
  return out.length > max ? [...out.slice(0, max), `and ${out.length - max} more`] : out;
}

export interface StateDescription {
  title: string;
  size: string;
  group: string;
  differs: string[];
}

export function describeState(v: MapText, p: number, reduced: boolean): StateDescription {
  const g = v.groupOf[p] as number;
  const kind = v.kinds[v.groups[g]?.kind ?? 0];
  const n = v.sizes[p] as number;
  return {
    title: kindsLabel(kind?.kinds ?? []),
    size: v.sizedByExecutions
      ? `reached by ${count(n)} ${sizeUnit(reduced, n)}`
      : 'size 1: the search is incomplete, so nothing was counted',
    group: groupLabel(v, g),
    differs: differingFields(v, p),
  };
}

/** One line for a screen reader when the keyboard focus lands on a state. */
export function announce(v: MapText, p: number, reduced: boolean, total: number): string {
  const d = describeState(v, p, reduced);
  const differs = d.differs.length ? `; differs: ${d.differs.join('; ')}` : '';
  return `Final state ${p + 1} of ${total}: ${d.title}, ${d.size}; ${d.group}${differs}. Enter replays it.`;
}
