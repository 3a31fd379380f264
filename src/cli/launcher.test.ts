import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleEntry } from '../../bin/bundle.mjs';

const root = join(__dirname, '..', '..');

describe('bin/lockstep.mjs runs the CLI as one bundle', () => {
  it('prints what the source run through tsx prints, and exits 2 on a bad option', () => {
    const argv = ['explore', 'dirty-bit-scaled', '--param', 'n=2', '--json'];
    const r = spawnSync('node', ['bin/lockstep.mjs', ...argv], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // The same source through tsx, as `npm run cli` ran it before the launcher.
    const source = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...argv], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    type Report = { ms?: number };
    const launched = JSON.parse(r.stdout) as Report;
    const fromSource = JSON.parse(source.stdout) as Report;
    // Wall times differ between the two runs; everything the engine computed must not.
    delete launched.ms;
    delete fromSource.ms;
    expect(launched).toEqual(fromSource);

    const bad = spawnSync('node', ['bin/lockstep.mjs', 'explore', 'aba', '--budget', 'x'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  }, 90_000);
});

describe('bundleEntry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rebuilds when an imported file changes, and reuses the bundle otherwise', async () => {
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const entry = join(dir, 'entry.ts');
    const dep = join(dir, 'dep.ts');
    writeFileSync(entry, "import { v } from './dep';\nexport const answer: number = v;\n");
    writeFileSync(dep, 'export const v = 1;\n');
    const first = await bundleEntry(entry);
    // Run each bundle in a fresh node: the test runner caches modules it imported.
    const load = (path: string) =>
      spawnSync(
        'node',
        [
          '--input-type=module',
          '-e',
          `import(${JSON.stringify(pathToFileURL(path).href)}).then((m) => console.log(m.answer))`,
        ],
        { encoding: 'utf8', timeout: 30_000 },
      ).stdout.trim();
    expect(load(first)).toBe('1');
    expect(await bundleEntry(entry)).toBe(first);

    writeFileSync(dep, 'export const v = 2;\n');
    // Some file systems keep whole-second times: make the change visible.
    const later = new Date(Date.now() + 5_000);
    utimesSync(dep, later, later);
    expect(load(await bundleEntry(entry))).toBe('2');
  });
});
