/**
 * A Web Worker of the partitioned search: partitionServer behind
 * postMessage, nothing else (see src/engine/partitionServer.ts). It serves
 * one search after another (the pool keeps it warm between them).
 */
import { failure, partitionServer, type PartitionRequest } from '../engine/partitionServer';

const serve = partitionServer();

self.onmessage = (e: MessageEvent<PartitionRequest>) => {
  try {
    const { reply, transfer } = serve(e.data);
    self.postMessage({ ok: true, reply }, transfer);
  } catch (error) {
    self.postMessage(failure(error));
  }
};
