/**
 * One esbuild bundle of a TypeScript entry, kept in node_modules/.cache and
 * reused while none of its inputs changed (by modification time). Plain
 * JavaScript, so that `bin/lockstep.mjs` can start the CLI without tsx:
 * tsx's loader costs about half a second of CPU per process (it runs a hooks
 * thread and compiles every module), which was most of a small `explore`.
 * The CLI's worker threads are bundled the same way (src/cli/threadEntry.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

/**
 * The project holding `file`: the nearest directory with a package.json.
 * Not from import.meta.url: inside the CLI's own bundle this module's
 * import.meta.url is the entry's (see `define` below).
 */
function projectOf(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${file}`);
  }
}

const fresh = (manifest) =>
  Object.entries(manifest.inputs).every(([file, mtime]) => {
    try {
      return statSync(file).mtimeMs === mtime;
    } catch {
      return false;
    }
  });

/**
 * The path of a bundle of `entry` (a file path), built now if it is missing or
 * stale. Rejects when esbuild is not installed; callers fall back to tsx.
 */
export async function bundleEntry(entry) {
  const root = projectOf(entry);
  const dir = join(root, 'node_modules', '.cache', 'lockstep-bundles');
  const name = createHash('sha1').update(entry).digest('hex').slice(0, 12);
  const out = join(dir, `${name}.mjs`);
  const manifestPath = join(dir, `${name}.json`);
  try {
    if (fresh(JSON.parse(readFileSync(manifestPath, 'utf8')))) return out;
  } catch {
    // No bundle yet, or an unreadable manifest: build it.
  }
  // A module specifier in a variable: esbuild stays an optional helper (it is
  // installed under vite and tsx), never a static import a bundler follows.
  const esbuildName = 'esbuild';
  const { build } = await import(esbuildName);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    outfile: out,
    metafile: true,
    absWorkingDir: root,
    logLevel: 'silent',
    // The bundle lives in the cache, but a module's import.meta.url must still
    // name its source directory (relative URLs to thread entries, the project
    // root). Every module that reads it sits beside the entry (src/cli).
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(entry).href) },
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const path = join(root, file);
    inputs[path] = statSync(path).mtimeMs;
  }
  mkdirSync(dir, { recursive: true });
  // Write then rename: a second process starting at the same moment reads the
  // old bundle or the new one, never half of one.
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, out);
  writeFileSync(`${manifestPath}.${process.pid}.tmp`, JSON.stringify({ inputs }));
  renameSync(`${manifestPath}.${process.pid}.tmp`, manifestPath);
  return out;
}
