import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ScenarioInstance } from '../engine/model';
import { exploreStateGraph } from '../engine/exploreGraph';
import type { ExploreOptions, ExploreResult } from '../engine/exploreTypes';
import { explorePartitioned, inProcessPool } from '../engine/partition';
import { runSchedule } from '../engine/run';
import { ScenarioError } from '../engine/errors';
import { prng, randomScenario, scenario, thread } from '../engine/testing';
import { SCENARIOS, instantiate } from './catalog';

/** Everything but `bytes`, the search's estimate of what it held (workers hold more). */
const comparable = ({ bytes, ...rest }: ExploreResult) => (void bytes, rest);

const parallel = (inst: ScenarioInstance, workers: number, options: ExploreOptions = {}) =>
  explorePartitioned(inst, workers, inProcessPool, options);

async function expectSameAsSerial(inst: ScenarioInstance, workers: number, por = true) {
  const serial = exploreStateGraph(inst, { por });
  const par = await parallel(inst, workers, { por });
  expect(serial.complete, 'the comparison needs a complete serial search').toBe(true);
  expect(comparable(par)).toEqual(comparable(serial));
}

// Built-ins with more than 200,000 states take seconds each: compared with two workers only.
const BIG = new Set(['aba/buggy', 'aba/pinned', 'aba/slow-path', 'aba/irq-off']);
const builtins = SCENARIOS.flatMap((s) => s.variants.map((v) => `${s.id}/${v.id}`));

describe('the partitioned search gives the serial result', () => {
  it.each(builtins.filter((b) => !BIG.has(b)))('%s, 2 and 3 workers', async (id) => {
    const [s, v] = id.split('/') as [string, string];
    const inst = instantiate(s, v);
    await expectSameAsSerial(inst, 2);
    await expectSameAsSerial(inst, 3);
  });

  it.each([...BIG])(
    '%s, 2 workers',
    async (id) => {
      const [s, v] = id.split('/') as [string, string];
      await expectSameAsSerial(instantiate(s, v), 2);
    },
    60_000,
  );

  it('dirty-bit-scaled n=3 k=3 buggy, 4 workers, and without the reduction', async () => {
    const inst = instantiate('dirty-bit-scaled', 'buggy', { n: '3', k: '3' });
    await expectSameAsSerial(inst, 4);
    await expectSameAsSerial(inst, 2, false);
  });

  it('property (seed 0x5eed12): 40 random programs, 2 or 3 workers, with and without POR', async () => {
    // fc.asyncProperty draws the seeds; each program is compared field for field.
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        fc.integer({ min: 2, max: 3 }),
        fc.boolean(),
        async (seed, workers, por) => {
          const inst = randomScenario(prng(seed), 3, 4);
          let serial: ExploreResult;
          try {
            serial = exploreStateGraph(inst, { por });
          } catch (e) {
            // A random program may livelock: then the parallel search says the same.
            expect(e).toBeInstanceOf(ScenarioError);
            await expect(parallel(inst, workers, { por })).rejects.toThrow((e as Error).message);
            return;
          }
          expect(comparable(await parallel(inst, workers, { por }))).toEqual(comparable(serial));
        },
      ),
      { seed: 0x5eed12, numRuns: 40 },
    );
  });
});

describe('livelock and early stops', () => {
  const spin = scenario([
    thread('A', (b) =>
      b.label('L').load('r', ['x'], 'r = x;').br(['==', 'r', 0], 'L', 'while (!r)'),
    ),
    thread('B', (b) => b.store(['y'], 1, '')),
  ]);

  it('a shared-memory livelock is the same ScenarioError, naming the same schedule', async () => {
    const message = (() => {
      try {
        exploreStateGraph(spin);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    })();
    expect(message).toMatch(/^livelock: schedule /);
    await expect(parallel(spin, 2)).rejects.toThrow(new ScenarioError(message));
  });

  const inst = instantiate('clear-dirty-log', 'plain-clear');

  it('a budget stop gives the serial search result (it has gone deeper within the budget)', async () => {
    const r = await parallel(inst, 2, { budget: 150 });
    expect(r.complete).toBe(false);
    expect(r.stopReason).toBe('states');
    expect(comparable(r)).toEqual(comparable(exploreStateGraph(inst, { budget: 150 })));
  });

  it('a memory stop is honest: incomplete, no execution counts, witnesses that replay', async () => {
    const r = await parallel(inst, 2, { maxBytes: 1 });
    expect(r.complete).toBe(false);
    expect(r.stopReason).toBe('memory');
    expect(r.executions).toBeNull();
    expect(r.outcomes.every((o) => o.executions === null)).toBe(true);
    for (const o of r.outcomes) {
      const run = runSchedule(inst, o.witness, { complete: true });
      expect(run.violations.map((v) => v.kind).sort()).toEqual([...o.violations].sort());
    }
    if (r.counterexample) {
      const run = runSchedule(inst, r.counterexample, { complete: true });
      expect(run.violations.length).toBeGreaterThan(0);
    }
  });

  it('cancel and memory stops are reported as such', async () => {
    expect((await parallel(inst, 2, { shouldStop: () => true })).stopReason).toBe('cancelled');
    expect((await parallel(inst, 3, { maxBytes: 1 })).stopReason).toBe('memory');
  });

  it('progress counts states over all workers', async () => {
    const seen: number[] = [];
    let clock = 0;
    const full = await parallel(inst, 2, {
      now: () => (clock += 1000),
      onProgress: (p) => seen.push(p.states),
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(full.states);
  });

  it('progress never claims more final states than the search finds', async () => {
    const found: [number, number][] = [];
    let clock = 0;
    const full = await parallel(inst, 3, {
      now: () => (clock += 1000),
      onProgress: (p) => found.push([p.outcomes, p.violatingOutcomes]),
    });
    expect(found.length).toBeGreaterThan(1);
    for (const [o, v] of found) {
      expect(o).toBeLessThanOrEqual(full.distinctOutcomes);
      expect(v).toBeLessThanOrEqual(full.violatingOutcomes);
    }
  });
});
