/**
 * A worker thread of `explore --workers N`: partitionServer behind node's
 * parentPort, nothing else (see src/engine/partitionWorker.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  failure,
  partitionServer,
  type PartitionInit,
  type PartitionRequest,
} from '../engine/partitionWorker';

const serve = partitionServer(workerData as PartitionInit);
parentPort?.on('message', (req: PartitionRequest) => {
  try {
    const { reply, transfer } = serve(req);
    parentPort?.postMessage({ ok: true, reply }, transfer);
  } catch (e) {
    parentPort?.postMessage(failure(e));
  }
});
