import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exploreReport } from '../scenarios/report';
import { parseCommandLine } from './args';
import { formatMap } from './mapFormat';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = (...args: string[]) =>
  spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('explore --map', () => {
  it('parses --map for explore, and refuses it with --preemptions', () => {
    const ok = parseCommandLine(['explore', 'aba', '--map']);
    expect(ok.ok && ok.value.command === 'explore' && ok.value.map).toBe(true);
    const bad = parseCommandLine(['explore', 'aba', '--map', '--preemptions', '2']);
    expect(bad).toEqual({
      ok: false,
      error: '--preemptions and --map do not combine: the map draws the full search',
    });
    expect(parseCommandLine(['run', 'aba', '--map']).ok).toBe(false);
  });

  it('prints every kind with its groups, whose figures add up to the search’s', () => {
    const report = exploreReport('dirty-bit-scaled', 'buggy', { params: { n: 3 }, map: true });
    const map = report.map;
    if (!map) throw new Error('no map');
    const text = formatMap(map, report.reduction).split('\n');
    expect(text[0]).toBe(
      'outcome map: 27 final states, grouped by violation kind and the fields in which they differ',
    );
    const kindLines = text.filter((l) => /^(lost-dirty-bit|no violation): /.test(l));
    expect(kindLines).toHaveLength(2);
    // Each group line's states, summed per kind, is the kind's figure.
    let states = 0;
    for (const l of text) {
      const m = /^ {4}.+: ([\d,]+) final states?, ([\d,]+) paths?$/.exec(l);
      if (m) states += Number(m[1]?.replace(/,/g, ''));
    }
    expect(states).toBe(report.distinctOutcomes);
    expect(text.at(-1)).toMatch(
      /^fields in which final states differ \(9\): pfn1 data \(2 values\)/,
    );
  });

  it('the process prints the map after the report, and --json carries its groups', () => {
    const text = cli('explore', 'dirty-bit-loss', '--map');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/\noutcome map: 3 final states,/);
    expect(text.stdout).toMatch(/\nlost-dirty-bit: 1 final state, \d+ paths?\n/);
    const json = cli('explore', 'dirty-bit-loss', '--map', '--json');
    const parsed = JSON.parse(json.stdout) as {
      distinctOutcomes: number;
      map: { distinctOutcomes: number; kinds: { outcomes: number }[] };
    };
    expect(parsed.map.distinctOutcomes).toBe(parsed.distinctOutcomes);
    expect(parsed.map.kinds.reduce((a, k) => a + k.outcomes, 0)).toBe(parsed.distinctOutcomes);
  });

  it('a .litmus file gets its map too', () => {
    const r = cli('explore', 'src/lang/examples/SB+sc-caveat.litmus', '--map');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\noutcome map: 3 final states,');
    expect(r.stdout).toContain('  grouped by 0:r0, 1:r0\n');
    expect(r.stdout).toContain('    0:r0 = 0, 1:r0 = 1: 1 final state, 1 path\n');
  });
});
