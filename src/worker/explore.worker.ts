/**
 * A worker for one exploration. The search is synchronous; progress leaves
 * through the comlink-proxied callback (a postMessage, delivered while the
 * search goes on), and cancelling terminates this worker, which stops the
 * search at once wherever it is.
 */
import { expose, transfer } from 'comlink';
import { exploreReport } from '../scenarios/report';
import { boundedReport } from '../scenarios/preemptionReport';
import { layoutMap, mapBuffers, type MapView } from '../scenarios/mapLayout';
import { mapWitness } from '../scenarios/mapReport';
import type { ExploreApi } from './protocol';

/** The last search's map and table: the worker stays alive after it, to answer witness requests. */
let last: { witness: (p: number) => ReturnType<typeof mapWitness> } | null = null;

const api: ExploreApi = {
  explore: (scenario, variant, { preemptions, ...options }, onProgress) => {
    let mapView: MapView | undefined;
    // The bounded search answers "how few preemptions" even where the full search is cut short.
    const bounded = (bound: number) =>
      boundedReport(scenario, variant, {
        bound,
        ...(options.params && { params: options.params }),
        ...(options.kernel && { kernel: options.kernel }),
        ...(options.budget !== undefined && { budget: options.budget }),
      });
    const report = exploreReport(scenario, variant, {
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
    const full = preemptions === undefined ? report : { ...report, bounded: bounded(preemptions) };
    // The map's typed arrays move to the page without a copy.
    return mapView ? transfer({ ...full, mapView }, mapBuffers(mapView)) : full;
  },
  witness: (p) => {
    if (!last) throw new Error('no exploration to take a witness from');
    return last.witness(p);
  },
};

expose(api);
