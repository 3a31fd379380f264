/** See bundle.mjs: a cached esbuild bundle of a TypeScript entry file. */
export function bundleEntry(entry: string): Promise<string>;
