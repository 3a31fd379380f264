import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bundleEntry } from '../../bin/bundle.mjs';

/**
 * Starts a worker thread on a TypeScript entry. Threads do not inherit
 * tsx's loader, and loading the engine through it costs each thread about
 * half a second of CPU (it runs a hooks thread of its own), which is most
 * of a small search. So the entry is bundled once into plain JavaScript
 * with esbuild (bin/bundle.mjs, as the CLI itself is) and kept in
 * node_modules/.cache, reused while none of its inputs changed; without
 * esbuild, the thread registers tsx's require hook instead (slower start,
 * same code).
 */
export async function startThread(entry: URL, workerData: unknown): Promise<Worker> {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const bundled = await bundleEntry(fileURLToPath(entry)).catch(() => null);
  if (bundled) return new Worker(pathToFileURL(bundled), { workerData });
  const api = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const boot = `const api = require(${JSON.stringify(api)}); api.register(); require(${JSON.stringify(fileURLToPath(entry))});`;
  return new Worker(boot, { eval: true, workerData });
}
