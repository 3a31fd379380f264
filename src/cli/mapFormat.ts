import type { MapSummary } from '../scenarios/mapReport';
import { executionsMeaning } from './format';

const n = (x: number) => x.toLocaleString('en-US');
const states = (x: number) => `${n(x)} final state${x === 1 ? '' : 's'}`;
/** `, 12 paths`: nothing when not counted (an incomplete search). */
const sized = (x: number | null, unit: string) =>
  x === null ? '' : `, ${n(x)} ${x === 1 ? unit.slice(0, -1) : unit}`;

/** Fields listed in the closing line before "and N more". */
const FIELDS_LISTED = 12;

/**
 * `explore --map` as text: each violation kind (violating first), the fields
 * its groups are keyed by, then each group with its final states and the
 * interleavings (or reduced-graph paths) that reach them. Every figure is the
 * engine's, over all final states.
 */
export function formatMap(map: MapSummary, reduction: string): string {
  const unit = reduction === 'none' ? 'interleavings' : 'paths';
  const lines = [
    `outcome map: ${states(map.distinctOutcomes)}, grouped by violation kind and the fields in which they differ`,
    map.sizedBy === 'executions'
      ? `  sized by executions (${executionsMeaning(reduction)})`
      : '  not sized: the search is incomplete, so no execution was counted (each state counts 1)',
  ];
  for (const k of map.kinds) {
    lines.push(
      `${k.kinds.length ? k.kinds.join(' + ') : 'no violation'}: ${states(k.outcomes)}${sized(k.executions, unit)}`,
    );
    if (k.groupedBy.length === 0) {
      lines.push('  (its final states agree on every field with few values: one group)');
      continue;
    }
    lines.push(`  grouped by ${k.groupedBy.join(', ')}`);
    for (const g of k.groups) {
      const key = Object.entries(g.fields)
        .map(([f, v]) => `${f} = ${v}`)
        .join(', ');
      lines.push(`    ${key}: ${states(g.outcomes)}${sized(g.executions, unit)}`);
    }
  }
  const fs = map.fields;
  const shown = fs.slice(0, FIELDS_LISTED).map((f) => `${f.name} (${f.valueCount} values)`);
  if (fs.length > FIELDS_LISTED) shown.push(`and ${fs.length - FIELDS_LISTED} more`);
  lines.push(
    fs.length
      ? `fields in which final states differ (${fs.length}): ${shown.join(', ')}`
      : 'no field differs: a single final state',
  );
  return lines.join('\n');
}
