/**
 * A worker thread of `explore --workers N`: partitionServer behind node's
 * parentPort, nothing else (see src/engine/partitionServer.ts). It serves
 * one search after another (the pool keeps it warm between them).
 */
import { parentPort } from 'node:worker_threads';
import { failure, partitionServer, type PartitionRequest } from '../engine/partitionServer';

const serve = partitionServer();
parentPort?.on('message', (req: PartitionRequest) => {
  try {
    const { reply, transfer } = serve(req);
    parentPort?.postMessage({ ok: true, reply }, transfer);
  } catch (e) {
    parentPort?.postMessage(failure(e));
  }
});
