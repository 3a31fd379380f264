import { describe, expect, it } from 'vitest';
import { exploreStateGraph } from './exploreGraph';
import { explorePartitioned } from './partition';
import { WorkerFailure, portPool, type PortReply, type WorkerPort } from './partitionPool';
import { failure, partitionServer, type PartitionRequest } from './partitionServer';
import { ScenarioError } from './errors';
import { prng, randomScenario, scenario, thread } from './testing';

/**
 * A port that serves in this thread but answers a message later (a
 * macrotask), as a real worker does; `die` makes its n-th request kill it.
 */
function fakePort(die?: number): WorkerPort {
  const serve = partitionServer();
  let onMessage: (m: PortReply) => void = () => {};
  let onError: (e: Error) => void = () => {};
  let asked = 0;
  return {
    post: (req: PartitionRequest) => {
      const n = ++asked;
      // Structured clone, as postMessage does: nothing is shared with the caller.
      const copy = structuredClone(req);
      setTimeout(() => {
        if (n === die) return onError(new Error('the worker crashed'));
        try {
          onMessage({ ok: true, reply: structuredClone(serve(copy).reply) });
        } catch (e) {
          onMessage(failure(e));
        }
      }, 0);
    },
    onMessage: (f) => (onMessage = f),
    onError: (f) => (onError = f),
    terminate: () => {},
  };
}

const comparable = ({ bytes, ...rest }: ReturnType<typeof exploreStateGraph>) => (void bytes, rest);

describe('the pool over message ports', () => {
  it('seed 7: asynchronous, cloned replies give the single search result (3 workers)', async () => {
    const inst = randomScenario(prng(7), 3, 4);
    const pool = portPool(async () => fakePort());
    const r = await explorePartitioned(inst, 3, pool);
    expect(comparable(r)).toEqual(comparable(exploreStateGraph(inst)));
  });

  it('a worker that dies rejects the search with a WorkerFailure (the app then searches alone)', async () => {
    const inst = randomScenario(prng(8), 3, 4);
    const pool = portPool(async () => fakePort(3));
    await expect(explorePartitioned(inst, 2, pool)).rejects.toBeInstanceOf(WorkerFailure);
  });

  it('seeds 9-11: workers are kept between searches, and a dead one is replaced', async () => {
    let spawned = 0;
    let dying = false;
    const pool = portPool(async () => {
      spawned++;
      // The first request of a dying port is its start; the second, its first round.
      return fakePort(dying ? 2 : undefined);
    });
    for (const seed of [9, 10, 11]) {
      const inst = randomScenario(prng(seed), 3, 4);
      const r = await explorePartitioned(inst, 3, pool);
      expect(comparable(r)).toEqual(comparable(exploreStateGraph(inst)));
    }
    // Two threads for three workers, started once for the three searches.
    expect(spawned).toBe(2);
    // A search over the warm workers while a new one would die: none is started.
    dying = true;
    const inst = randomScenario(prng(12), 3, 4);
    expect(comparable(await explorePartitioned(inst, 3, pool))).toEqual(
      comparable(exploreStateGraph(inst)),
    );
    expect(spawned).toBe(2);
    // A search that needs a third thread gets one that dies: it fails, and the dead one is not kept.
    await expect(explorePartitioned(inst, 4, pool)).rejects.toBeInstanceOf(WorkerFailure);
    dying = false;
    expect(comparable(await explorePartitioned(inst, 4, pool))).toEqual(
      comparable(exploreStateGraph(inst)),
    );
    expect(spawned).toBe(4);
  });

  it('a worker that cannot start rejects with a WorkerFailure too', async () => {
    const inst = randomScenario(prng(8), 3, 4);
    const pool = portPool(() => Promise.reject(new Error('no Worker here')));
    await expect(explorePartitioned(inst, 2, pool)).rejects.toBeInstanceOf(WorkerFailure);
  });

  it("a ScenarioError inside a worker stays a ScenarioError (the user's program, not a crash)", async () => {
    // Thread A loops in local code forever: settling it after B's step throws in whichever worker expands it.
    const inst = scenario([
      thread('A', (b) => b.load('r', ['x'], 'r = x;').label('L').br(['==', 'r', 0], 'L', '')),
      thread('B', (b) => b.store(['y'], 1, '')),
    ]);
    expect(() => exploreStateGraph(inst)).toThrow(ScenarioError);
    const pool = portPool(async () => fakePort());
    for (const workers of [2, 3])
      await expect(explorePartitioned(inst, workers, pool)).rejects.toBeInstanceOf(ScenarioError);
  });
});
