/**
 * A worker thread of `explore --workers N`: partitionServer behind node's
 * parentPort, nothing else (see src/engine/partitionServer.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PartitionInit } from '../engine/partitionWorker';
import { failure, partitionServer, type PartitionRequest } from '../engine/partitionServer';

const serve = partitionServer(workerData as PartitionInit);
parentPort?.on('message', (req: PartitionRequest) => {
  try {
    const { reply, transfer } = serve(req);
    parentPort?.postMessage({ ok: true, reply }, transfer);
  } catch (e) {
    parentPort?.postMessage(failure(e));
  }
});
