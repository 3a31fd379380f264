import { describe, expect, it } from 'vitest';
import { exploreStateGraph } from './explore';
import { Machine } from './machine';
import { outcomeMap, type OutcomeMap } from './outcomeMap';
import { outcomeVector } from './stateStore';
import { runSchedule } from './run';
import { KINDS } from './exploreTypes';
import type { ScenarioInstance } from './model';
import type { OutcomeTable } from './outcomeTable';
import type { ProgramBuilder } from './builder';
import { prng, randomScenario, scenario, thread } from './testing';

const incr = (b: ProgramBuilder) => (
  b.load('r', ['x'], 'r = x;'),
  b.store(['x'], ['+', 'r', 1], 'x = r + 1;')
);
const abba = (a: string, c: string) => (b: ProgramBuilder) =>
  b.lock(a, 'excl', '').lock(c, 'excl', '').unlock(c, 'excl', '').unlock(a, 'excl', '');

function mapOf(inst: ScenarioInstance, budget?: number) {
  const r = exploreStateGraph(inst, { keepOutcomes: true, ...(budget && { budget }) });
  const table = r.outcomeTable as OutcomeTable;
  return { r, table, map: outcomeMap(new Machine(inst), table), m: new Machine(inst) };
}

/** The properties every map must have, checked against the search's own figures. */
function checkMap(inst: ScenarioInstance, budget?: number): OutcomeMap {
  const { r, table, map, m } = mapOf(inst, budget);
  expect(table.count, 'the table holds every distinct final state').toBe(r.distinctOutcomes);
  expect(map.count).toBe(r.distinctOutcomes);
  // Positions are a permutation of the outcome ids.
  expect([...map.order].sort((a, b) => a - b)).toEqual([...Array(map.count).keys()]);
  // Violating kinds first.
  const firstClean = [...map.masks].indexOf(0);
  if (firstClean >= 0) expect([...map.masks.slice(firstClean)].every((x) => x === 0)).toBe(true);
  expect([...map.masks].filter((x) => x).length).toBe(r.violatingOutcomes);
  // Groups cover the positions in order, and share their key values.
  const F = map.fields.length;
  let next = 0;
  map.groups.forEach((g, gi) => {
    expect(g.start).toBe(next);
    next = g.end;
    for (let p = g.start; p < g.end; p++) {
      expect(map.groupOf[p]).toBe(gi);
      expect(map.masks[p]).toBe(map.kinds[g.kind]?.mask);
      for (const { field, value } of g.key) expect(map.values[p * F + field]).toBe(value);
    }
  });
  expect(next).toBe(map.count);
  // Every field varies, and a position's values decode to its outcome's row.
  for (const f of map.fields) expect(f.values.length).toBeGreaterThan(1);
  if (r.complete) {
    expect(map.sizedByExecutions).toBe(true);
    expect(map.sizes.reduce((a, b) => a + b, 0)).toBe(r.executions);
    // Per kind, the executions of every group with that kind (alone or with others).
    KINDS.forEach((kind, i) => {
      const sum = map.kinds
        .filter((k) => k.mask & (1 << i))
        .reduce((a, k) => a + (k.executions ?? 0), 0);
      expect(sum, kind).toBe(r.violationsByKind[kind] ?? 0);
    });
  } else {
    expect(map.sizedByExecutions).toBe(false);
    expect([...map.sizes].every((s) => s === 1)).toBe(true);
  }
  // Each witness replays to its outcome's row, with its violations.
  for (let p = 0; p < map.count; p++) {
    const o = map.order[p] as number;
    const run = runSchedule(inst, table.witness(o), { complete: false });
    const end = run.states[run.states.length - 1] as Int32Array;
    const row = outcomeVector(m, end);
    expect([...row]).toEqual([...table.vectors.subarray(o * table.width, (o + 1) * table.width)]);
    const kinds = new Set(run.violations.map((v) => v.kind));
    expect(KINDS.filter((_, i) => (map.masks[p] as number) & (1 << i))).toEqual(
      KINDS.filter((k) => kinds.has(k)),
    );
  }
  return map;
}

describe('outcomeMap', () => {
  it('two non-atomic increments: x = 1 or x = 2, grouped by x, sized by interleavings', () => {
    const map = checkMap(scenario([thread('A', incr), thread('B', incr)]));
    expect(map.fields.map((f) => f.name)).toEqual(['x']);
    expect(map.kinds).toHaveLength(1);
    expect(
      map.groups.map((g) => [map.fields[0]?.values[g.key[0]?.value ?? -1], g.executions]),
    ).toEqual([
      // Of the 6 interleavings, 4 interleave the loads (x = 1) and 2 run one thread first.
      ['1', 4],
      ['2', 2],
    ]);
  });

  it('AB/BA: the deadlocked states come first, named by the threads that did not finish', () => {
    const map = checkMap(scenario([thread('A', abba('m', 'n')), thread('B', abba('n', 'm'))]));
    expect(map.kinds.map((k) => k.kinds)).toEqual([['deadlock'], []]);
    expect(map.fields.map((f) => f.name)).toContain('A');
    expect(map.fields.find((f) => f.name === 'A')?.values.sort()).toEqual([
      'finished',
      'not finished',
    ]);
  });

  it('an incomplete search sizes every state 1 and counts no interleaving', () => {
    const inst = randomScenario(prng(22), 3, 8);
    const full = exploreStateGraph(inst);
    const map = checkMap(inst, Math.max(2, Math.floor(full.states / 3)));
    expect(map.count).toBeGreaterThan(1);
    expect(map.kinds.every((k) => k.executions === null)).toBe(true);
  });

  // Seeds picked for variety: several kinds at once (65: lost-dirty-log with and without a
  // deadlock), deadlocks beside clean states (21, 55), many states (22, 96), one field (3).
  for (const seed of [3, 8, 21, 22, 40, 55, 57, 65, 82, 96])
    it(`fuzz (seed ${seed}): a random program's map agrees with its search and its witnesses`, () => {
      const map = checkMap(randomScenario(prng(seed), 3, 8));
      expect(map.count).toBeGreaterThanOrEqual(4);
    });
});

describe('the outcome table cap', () => {
  it('counts the rows in the bytes held, and the search does not change when a table is kept', () => {
    const inst = randomScenario(prng(96), 3, 8);
    const plain = exploreStateGraph(inst);
    const kept = exploreStateGraph(inst, { keepOutcomes: true });
    expect(kept.bytes).toBeGreaterThan(plain.bytes);
    const { outcomeTable: _t, ...rest } = kept;
    expect({ ...rest, bytes: 0 }).toEqual({ ...plain, bytes: 0 });
  });
});
