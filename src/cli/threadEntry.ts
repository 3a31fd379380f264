import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { build as Build } from 'esbuild';

/**
 * Starts a worker thread on a TypeScript entry. Threads do not inherit
 * tsx's loader, and loading the engine through it costs each thread about
 * half a second of CPU (it runs a hooks thread of its own), which is most
 * of a small search. So the entry is bundled once into plain JavaScript
 * with esbuild (already installed, under vite and tsx) and kept in
 * node_modules/.cache, reused while none of its inputs changed; without
 * esbuild, the thread registers tsx's require hook instead (slower start,
 * same code).
 */
export async function startThread(entry: URL, workerData: unknown): Promise<Worker> {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const bundled = await bundle(fileURLToPath(entry)).catch(() => null);
  if (bundled) return new Worker(pathToFileURL(bundled), { workerData });
  const api = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const boot = `const api = require(${JSON.stringify(api)}); api.register(); require(${JSON.stringify(fileURLToPath(entry))});`;
  return new Worker(boot, { eval: true, workerData });
}

interface Manifest {
  inputs: Record<string, number>;
}

const fresh = (m: Manifest) =>
  Object.entries(m.inputs).every(([f, t]) => {
    try {
      return statSync(f).mtimeMs === t;
    } catch {
      return false;
    }
  });

async function bundle(entry: string): Promise<string> {
  const root = dirname(fileURLToPath(new URL('../../package.json', import.meta.url)));
  const dir = join(root, 'node_modules', '.cache', 'lockstep-threads');
  const name = createHash('sha1').update(entry).digest('hex').slice(0, 12);
  const out = join(dir, `${name}.mjs`);
  const manifest = join(dir, `${name}.json`);
  try {
    if (fresh(JSON.parse(readFileSync(manifest, 'utf8')) as Manifest)) return out;
  } catch {
    // No bundle yet, or an unreadable one: build it.
  }
  // A module specifier in a variable: esbuild stays an optional, undeclared helper.
  const esbuildName = 'esbuild';
  const { build } = (await import(esbuildName)) as { build: typeof Build };
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    metafile: true,
    absWorkingDir: root,
    logLevel: 'silent',
  });
  const inputs: Record<string, number> = {};
  for (const f of Object.keys(r.metafile.inputs)) {
    const path = join(root, f);
    inputs[path] = statSync(path).mtimeMs;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(manifest, JSON.stringify({ inputs }));
  return out;
}
