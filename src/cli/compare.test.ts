import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatCompare, parseCompare } from './compare';
import { compareReport, type CompareReport } from '../scenarios/compareReport';

const root = fileURLToPath(new URL('../..', import.meta.url));

function cli(...args: string[]) {
  return cliWith(undefined, ...args);
}

function cliWith(input: string | undefined, ...args: string[]) {
  return spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', 'compare', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    ...(input !== undefined && { input }),
  });
}

/** P1 ages the page P0 faulted in: 6.12 takes mmu_lock for it, 7.2 does not. */
const AGE = `C age\n{ @kvm(1, 1); }\nP0() {\n  @thread("vCPU0", "guest write", 0);\n  kvm_page_fault(0, 1, 0);\n}\nP1() {\n  kvm_age_gfn(0);\n}\nexists (true)\n`;

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

describe('compare FILE: scenario text on two kernels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-compare-'));
  const file = join(dir, 'age.litmus');
  writeFileSync(file, AGE);

  it.each([
    [[file, '--with', '@7.2'], { file, b: { kernel: '7.2' } }],
    [
      ['x.litmus', '--kernel', '6.8', '--kernel-b', '7.2'],
      { a: { kernel: '6.8' }, b: { kernel: '7.2' } },
    ],
    [['-', '--with', '@7.2'], { file: '-', scenario: '<stdin>' }],
  ])('%j', (argv, expected) => {
    expect(parseCompare(argv)).toMatchObject(expected);
  });

  it.each([
    [['x.litmus', '--with', 'pinned@7.2'], /text has no variants: --with 'pinned@7.2'/],
    [['x.litmus', '--variant', 'buggy', '--with', '@7.2'], /text has no variants: drop --variant/],
    [['x.litmus', '--with', '@7.2', '--param', 'n=2'], /--param does not apply/],
    [['x.litmus'], /compare FILE needs the other kernel/],
  ])('%j is refused', (argv, message) => {
    expect(parseCompare(argv)).toMatch(message);
  });

  it('prints the divergence the engine finds between the kernels’ aging paths', () => {
    const r = cli(file, '--with', '@7.2', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as CompareReport;
    expect([json.a.kernel, json.b.kernel]).toEqual(['6.12', '7.2']);
    const d = json.divergence;
    expect(d?.reason).toBe('op');
    expect(json.lines[d?.line ?? -1]?.a?.text).toMatch(/KVM_MMU_LOCK/);
    expect(json.lines[d?.line ?? -1]?.b?.text).toMatch(/rcu_read_lock/);
  });

  it('reads - from stdin and exits 2 with one line naming it for a parse error', () => {
    const r = cliWith('C x\nP0() {\n  bogus(;\n}\n', '-', '--kernel-b', '7.2');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^lockstep: <stdin>: line \d+:\d+: [^\n]+\n$/);
  });

  it('exits 2 with one line for a missing file and for the same kernel twice', () => {
    const missing = cli(join(dir, 'nope.litmus'), '--with', '@7.2');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^lockstep: .*nope\.litmus: cannot read: ENOENT\n$/);
    const same = cli(file, '--kernel', '7.2', '--with', '@7.2');
    expect(same.status).toBe(2);
    expect(same.stderr).toMatch(/^lockstep: .*two different kernels[^\n]*\n$/);
  });
});
