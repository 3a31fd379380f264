/**
 * A Web Worker of the partitioned search: partitionServer behind
 * postMessage, nothing else (see src/engine/partitionServer.ts). The first
 * message is its PartitionInit; every later one a request.
 */
import type { PartitionInit } from '../engine/partitionWorker';
import { failure, partitionServer, type PartitionRequest } from '../engine/partitionServer';

let serve: ReturnType<typeof partitionServer> | null = null;

self.onmessage = (e: MessageEvent<PartitionInit | PartitionRequest>) => {
  try {
    if (!serve) {
      serve = partitionServer(e.data as PartitionInit);
      return;
    }
    const { reply, transfer } = serve(e.data as PartitionRequest);
    self.postMessage({ ok: true, reply }, transfer);
  } catch (error) {
    self.postMessage(failure(error));
  }
};
