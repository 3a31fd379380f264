import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { exploreReport } from './report';
import { layoutMap, MAP_HEIGHT, MAP_WIDTH, type MapView } from './mapLayout';
import { mapWitness } from './mapReport';
import { instantiate } from './catalog';
import { formatSchedule, runSchedule, type OutcomeMap, type OutcomeTable } from '../engine';

function explored(scenario: string, params: Record<string, number> = {}, text?: string) {
  let got: { map: OutcomeMap; table: OutcomeTable } | null = null;
  const report = exploreReport(scenario, 'buggy', {
    params,
    map: true,
    ...(text !== undefined && { text }),
    onMap: (map, table) => (got = { map, table }),
  });
  if (!got) throw new Error('onMap was not called');
  const { map, table } = got as { map: OutcomeMap; table: OutcomeTable };
  return { report, map, table, view: layoutMap(map) };
}

const rect = (a: Float32Array, i: number) => a.subarray(i * 4, i * 4 + 4);
const within = (inner: Float32Array, outer: Float32Array) =>
  (inner[0] as number) >= (outer[0] as number) - 1e-3 &&
  (inner[1] as number) >= (outer[1] as number) - 1e-3 &&
  (inner[2] as number) <= (outer[2] as number) + 1e-3 &&
  (inner[3] as number) <= (outer[3] as number) + 1e-3;
const area = (r: Float32Array) =>
  ((r[2] as number) - (r[0] as number)) * ((r[3] as number) - (r[1] as number));

function checkNesting(v: MapView) {
  v.kinds.forEach((k, ki) => {
    expect(within(rect(v.kindRects, ki), new Float32Array([0, 0, v.width, v.height]))).toBe(true);
    for (let g = k.firstGroup; g < k.endGroup; g++) {
      expect(within(rect(v.groupRects, g), rect(v.kindRects, ki))).toBe(true);
      const grp = v.groups[g];
      if (!grp) throw new Error('group missing');
      for (let p = grp.start; p < grp.end; p++)
        expect(within(rect(v.rects, p), rect(v.groupRects, g))).toBe(true);
    }
  });
}

describe('outcome map of the built-ins', () => {
  it('dirty-bit-scaled n=3: kinds, groups and states nest, areas follow the interleavings', () => {
    const { report, view } = explored('dirty-bit-scaled', { n: 3 });
    expect(view.count).toBe(report.distinctOutcomes);
    expect(view.width).toBe(MAP_WIDTH);
    expect(view.height).toBe(MAP_HEIGHT);
    checkNesting(view);
    // Violating first: the lost Dirty bits take the first kind, laid out from the top left.
    expect(view.kinds[0]?.kinds).toEqual(['lost-dirty-bit']);
    expect(rect(view.kindRects, 0)[0]).toBe(0);
    expect(rect(view.kindRects, 0)[1]).toBe(0);
    // Inside a group (no padding between states) areas are proportional to sizes.
    for (const g of view.groups) {
      const total = view.sizes.subarray(g.start, g.end).reduce((a, b) => a + b, 0);
      const whole = Array.from({ length: g.end - g.start }, (_, i) =>
        area(rect(view.rects, g.start + i)),
      ).reduce((a, b) => a + b, 0);
      for (let p = g.start; p < g.end; p++)
        expect(area(rect(view.rects, p)) / whole).toBeCloseTo((view.sizes[p] as number) / total, 3);
    }
    // The JSON groups are the engine's figures: they add up to its totals.
    const sum = (report.map?.kinds ?? []).reduce((a, k) => a + (k.executions ?? 0), 0);
    expect(sum).toBe(report.executions);
    expect(report.map?.kinds[0]?.groupedBy).toEqual(['pfn1 Dirty', 'pfn2 Dirty']);
  });

  it('a witness on demand lands on its state and on its first violation', () => {
    const { map, table } = explored('dirty-bit-scaled', { n: 2 });
    const inst = instantiate('dirty-bit-scaled', 'buggy', { n: 2 });
    for (let p = 0; p < map.count; p++) {
      const w = mapWitness(inst, map, table, p);
      const run = runSchedule(inst, table.witness(map.order[p] as number), { complete: true });
      expect(formatSchedule(run.schedule)).toBe(w.schedule);
      const violating = (map.masks[p] as number) !== 0;
      expect(w.violationStep > 0).toBe(violating);
      if (violating)
        expect(w.violationStep).toBe(Math.min(...run.violations.map((v) => v.step)) + 1);
    }
    expect(() => mapWitness(inst, map, table, map.count)).toThrow(/no final state/);
  });

  it('a litmus text: its cells and registers are the fields', () => {
    const text = readFileSync(
      new URL('../lang/examples/SB+sc-caveat.litmus', import.meta.url),
      'utf8',
    );
    const { report, view } = explored('text', {}, text);
    expect(view.count).toBe(3);
    expect(report.map?.fields.map((f) => f.name)).toEqual(['0:r0', '1:r0']);
    checkNesting(view);
  });

  it('an incomplete search draws every state the same size and says it did not count', () => {
    const report = exploreReport('dirty-bit-scaled', 'buggy', {
      params: { n: 4 },
      budget: 300,
      map: true,
    });
    expect(report.complete).toBe(false);
    expect(report.map?.sizedBy).toBe('outcomes');
    expect(report.map?.kinds.every((k) => k.executions === null)).toBe(true);
    expect(report.map?.distinctOutcomes).toBe(report.distinctOutcomes);
  });
});
