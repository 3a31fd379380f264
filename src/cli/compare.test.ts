import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatCompare, parseCompare } from './compare';
import { compareReport } from '../scenarios/compareReport';

const root = fileURLToPath(new URL('../..', import.meta.url));

function cli(...args: string[]) {
  return spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'compare', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('compare arguments', () => {
  it.each([
    [
      ['aba', '--variant', 'buggy', '--with', 'pinned'],
      { a: { variant: 'buggy' }, b: { variant: 'pinned' } },
    ],
    [
      ['aba', '--with', 'pinned@7.2', '--kernel', '6.8'],
      { a: { kernel: '6.8' }, b: { variant: 'pinned', kernel: '7.2' } },
    ],
    [
      ['aba', '--with', 'pinned', '--kernel-b', '7.2'],
      { a: {}, b: { variant: 'pinned', kernel: '7.2' } },
    ],
    [['aba', '--with', '@7.2', '--json'], { a: {}, b: { kernel: '7.2' }, json: true }],
  ])('%j', (argv, expected) => {
    expect(parseCompare(argv)).toMatchObject(expected);
  });

  it.each([
    [[], 'compare needs a scenario id (see: npm run cli -- list)'],
    [['aba'], /needs --with/],
    [['aba', '--with', 'a b'], /--with 'a b' is not a variant/],
    [['aba', '--with', 'pinned@7.2', '--kernel-b', '6.8'], /kernel is given twice/],
    [['aba', '--with', 'pinned', '--budget', '3'], /unknown option '--budget'/],
    [['aba', 'extra', '--with', 'pinned'], "unexpected argument 'extra'"],
  ])('%j is refused', (argv, message) => {
    const r = parseCompare(argv);
    expect(typeof r).toBe('string');
    expect(r).toMatch(message);
  });
});

describe('compare output', () => {
  const report = compareReport('aba', { variant: 'buggy' }, { variant: 'pinned' });
  const text = formatCompare(report);

  it('prints both columns, a heading per row, and marks the divergence and the loss on their lines', () => {
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('-- row '))).toHaveLength(report.rows.length);
    const d = report.divergence;
    const loss = report.onlyA;
    expect(d && loss).toBeTruthy();
    if (!d || !loss) return;
    expect(
      lines.find((l) => l.startsWith('>>') && l.slice(2, 6).trim() === String(d.line + 1)),
    ).toBeDefined();
    const lossLine = lines.find(
      (l) => l.startsWith('!!') && l.slice(2, 6).trim() === String(loss.line + 1),
    );
    expect(lossLine).toContain(`${loss.step + 1} `);
    expect(text).toContain(`!! only A lost-dirty-log at A step ${loss.step + 1}`);
    expect(text).not.toContain('only B');
  });

  it('JSON lines carry each side’s op, 0-based, as the text shows it 1-based', () => {
    const l = report.lines[report.onlyA?.line ?? -1];
    expect(l?.a?.step).toBe(report.onlyA?.step);
    expect(report.a.violations[0]?.step).toBe(report.onlyA?.step);
  });
});

describe('compare process', () => {
  it('exits 2 with one line on stderr for an unknown variant', () => {
    const r = cli('aba', '--with', 'nope');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "lockstep: unknown variant 'nope' of aba (known: buggy, pinned, slow-path, irq-off, direct)\n",
    );
  });

  it('prints JSON with --json', () => {
    const r = cli('dirty-bit-loss', '--variant', 'buggy', '--with', 'fixed', '--json');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { onlyA: { kind: string } | null; onlyB: unknown };
    expect(json.onlyA?.kind).toBe('lost-dirty-bit');
    expect(json.onlyB).toBeNull();
  });
});
