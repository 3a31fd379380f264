#!/usr/bin/env node
/**
 * The CLI's launcher (`npm run cli`, `npx lockstep`): runs src/cli/main.ts as
 * one plain-JavaScript bundle, rebuilt when a source file changed (the first
 * run after an edit pays for esbuild, about a quarter of a second). Without
 * esbuild it runs the same source through tsx.
 */
import { URL, fileURLToPath, pathToFileURL } from 'node:url';
import { bundleEntry } from './bundle.mjs';

const entry = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const bundled = await bundleEntry(entry).catch(() => null);
if (bundled) {
  await import(pathToFileURL(bundled).href);
} else {
  const tsxName = 'tsx/esm/api';
  const { register } = await import(tsxName);
  register();
  await import(pathToFileURL(entry).href);
}
