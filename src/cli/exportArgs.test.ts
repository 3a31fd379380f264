import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './args';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('run --format', () => {
  it.each([
    ['run aba --format svg', { format: 'svg' }],
    ['run aba --format svg --width 1280', { format: 'svg', width: 1280 }],
    ['run aba --format rst', { format: 'rst' }],
    ['run aba --format perfetto', { format: 'perfetto' }],
  ])('%s', (line, want) => {
    const r = parseCommandLine(line.split(' '));
    expect(r).toEqual({
      ok: true,
      value: { command: 'run', scenario: 'aba', params: {}, json: false, ...want },
    });
  });

  it.each([
    ['run aba --format png', "unknown --format 'png': expected svg, rst, text, perfetto"],
    ['run aba --format rst --json', '--json and --format cannot be combined'],
    ['run aba --width 1280', '--width applies to --format svg'],
    ['run aba --format text --width 1280', '--width applies to --format svg'],
    ['run aba --format svg --width 12', "--width must be 640 to 7680 pixels, got '12'"],
    ['explore aba --format svg', 'option --format does not apply to explore'],
  ])('%s fails', (line, error) => {
    expect(parseCommandLine(line.split(' '))).toEqual({ ok: false, error });
  });

  it('writes the perfetto trace of the completed run on stdout', () => {
    const r = spawnSync(
      'node_modules/.bin/tsx',
      ['src/cli/main.ts', 'run', 'hotplug-order', '--format', 'perfetto'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(r.status).toBe(0);
    const events = (JSON.parse(r.stdout) as { traceEvents: { ph: string; cat?: string }[] })
      .traceEvents;
    expect(events.filter((e) => e.cat === 'violation')).toHaveLength(2);
  });
});
