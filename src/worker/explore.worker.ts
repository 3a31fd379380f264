/**
 * A worker for one exploration. The search is synchronous in one thread;
 * with `workers` > 1 it is the partitioned search (src/engine/partition.ts),
 * this worker coordinating and working as worker 0, the others nested Web
 * Workers. Progress leaves through the comlink-proxied callback (a
 * postMessage, delivered while the search goes on), and cancelling
 * terminates this worker, which stops the search at once wherever it is
 * (and its nested workers with it). After a search the worker stays alive
 * to answer the outcome map's witness requests.
 */
import { expose, transfer } from 'comlink';
import { exploreReport, exploreReportWith, type ExploreRequest } from '../scenarios/report';
import { boundedReport } from '../scenarios/preemptionReport';
import { layoutMap, mapBuffers, type MapView } from '../scenarios/mapLayout';
import { mapWitness } from '../scenarios/mapReport';
import { explorePartitioned } from '../engine/partition';
import { WorkerFailure } from '../engine/partitionPool';
import { webPool } from './partitionPool';
import type { ExploreApi } from './protocol';

/** The last search's map and table: the worker stays alive after it, to answer witness requests. */
let last: { witness: (p: number) => ReturnType<typeof mapWitness> } | null = null;

/** The report over `workers` workers; in this one thread when they cannot start. */
async function report(
  scenario: string,
  variant: string | undefined,
  workers: number,
  request: ExploreRequest,
) {
  if (workers <= 1 || typeof Worker === 'undefined')
    return exploreReport(scenario, variant, request);
  try {
    return await exploreReportWith(scenario, variant, request, (inst, o) =>
      explorePartitioned(inst, workers, webPool, o),
    );
  } catch (e) {
    if (!(e instanceof WorkerFailure)) throw e;
    return exploreReport(scenario, variant, request);
  }
}

const api: ExploreApi = {
  explore: async (scenario, variant, { preemptions, workers = 1, ...options }, onProgress) => {
    let mapView: MapView | undefined;
    const full = await report(scenario, variant, workers, {
      ...options,
      map: true,
      onMap: (map, table, inst) => {
        mapView = layoutMap(map);
        // Only what a witness needs: not the outcome vectors, not the transferred arrays.
        const kept = { order: map.order, count: map.count };
        const { witness } = table;
        last = { witness: (p) => mapWitness(inst, kept, { witness }, p) };
      },
      onProgress: (p) => void onProgress(p),
    });
    // The bounded search answers "how few preemptions" even where the full search is cut short.
    const withBound =
      preemptions === undefined
        ? full
        : {
            ...full,
            bounded: boundedReport(scenario, variant, {
              bound: preemptions,
              ...(options.params && { params: options.params }),
              ...(options.kernel && { kernel: options.kernel }),
              ...(options.budget !== undefined && { budget: options.budget }),
            }),
          };
    // The map's typed arrays move to the page without a copy.
    return mapView ? transfer({ ...withBound, mapView }, mapBuffers(mapView)) : withBound;
  },
  witness: (p) => {
    if (!last) throw new Error('no exploration to take a witness from');
    return last.witness(p);
  },
};

expose(api);
