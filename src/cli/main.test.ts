import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

// The tsx binary directly rather than `npx tsx`: npm may print its own
// warnings on stderr, which is not what is under test.
function cli(...args: string[]) {
  return spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('cli process', () => {
  it('exits 2 with one line on stderr for an unknown command', () => {
    const result = cli('bogus-command');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "lockstep: unknown command 'bogus-command': expected list, show, run or explore\n",
    );
  });

  it('exits 2 for a bad --budget before calling the engine', () => {
    const result = cli('explore', 'aba', '--budget', 'lots');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("lockstep: --budget must be a positive integer, got 'lots'\n");
  });

  it('explore --preemptions bounds the search and says how many preemptions the race needs', () => {
    const result = cli(
      'explore',
      'dirty-bit-loss',
      '--variant',
      'buggy',
      '--preemptions',
      '2',
      '--json',
    );
    expect(result.status).toBe(0);
    const r = JSON.parse(result.stdout) as {
      needed: number;
      searches: { bound: number; complete: boolean; found: boolean }[];
      counterexample: { schedule: string; preemptions: { step: number; fromName: string }[] };
    };
    expect(r.needed).toBe(1);
    expect(r.searches.map((s) => [s.bound, s.complete, s.found])).toEqual([
      [0, true, false],
      [1, false, true],
    ]);
    expect(r.counterexample.preemptions).toHaveLength(1);
    // The schedule replays to the violation.
    const run = cli(
      'run',
      'dirty-bit-loss',
      '--variant',
      'buggy',
      '--schedule',
      r.counterexample.schedule,
      '--json',
    );
    expect((JSON.parse(run.stdout) as { violations: { kind: string }[] }).violations[0]?.kind).toBe(
      'lost-dirty-bit',
    );
  });

  it('explore --json gives the minimised counterexample with its load-bearing preemptions', () => {
    const result = cli('explore', 'dirty-bit-loss', '--variant', 'buggy', '--json');
    const r = JSON.parse(result.stdout) as {
      counterexample: { minimized: { preemptions: { step: number; from: number; to: number }[] } };
      fewestPreemptions: { needed: number; below: { bound: number } | null };
    };
    expect(r.counterexample.minimized.preemptions.length).toBeGreaterThan(0);
    expect(r.fewestPreemptions.needed).toBe(1);
    expect(r.fewestPreemptions.below?.bound).toBe(0);
  });

  it('stops a search that runs short of memory with its partial result and says why', () => {
    const result = cli('explore', 'aba', '--memory', '1', '--json');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report.complete).toBe(false);
    expect(report.stopReason).toBe('memory');
    expect(report.executions, 'an incomplete search counted no executions').toBeNull();
    const text = cli('explore', 'aba', '--memory', '1');
    expect(text.stdout).toMatch(/complete: no: it ran short of memory \(\d+ MB held\)/);
    expect(text.stdout).not.toMatch(/^executions:/m);
  });

  it('explore --workers 2 (worker threads) reports what the single-thread search does', () => {
    const args = ['explore', 'clear-dirty-log', '--variant', 'plain-clear', '--json'];
    const one = cli(...args);
    const two = cli(...args, '--workers', '2');
    expect(two.stderr).toBe('');
    expect(two.status).toBe(0);
    // Wall time aside, the reports are the same, outcome order and witnesses included.
    const drop = (out: string) => ({ ...(JSON.parse(out) as object), ms: 0, bytes: 0 });
    expect(drop(two.stdout)).toEqual(drop(one.stdout));
    expect((JSON.parse(two.stdout) as { states: number }).states).toBeGreaterThan(100);
  });

  it('explore --map --workers 2 draws the same outcome map as one thread', () => {
    const args = ['explore', 'dirty-bit-scaled', '--param', 'n=3', '--param', 'k=1', '--map'];
    const one = cli(...args, '--json');
    const two = cli(...args, '--json', '--workers', '2');
    expect(two.status).toBe(0);
    const map = (out: string) => (JSON.parse(out) as { map?: unknown }).map;
    expect(map(one.stdout)).toBeDefined();
    expect(map(two.stdout)).toEqual(map(one.stdout));
    // The text form prints the map too (it was left out with --workers).
    expect(cli(...args, '--workers', '2').stdout).toMatch(/lost-dirty-bit: \d+ final states/);
  });

  it('prints usage for --help', () => {
    const result = cli('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('npm run cli -- explore <scenario>');
  });

  // issue 9 §7: whatever the argument holds, the error is one line, escaped.
  it.each([
    [['explore', 'aba', '--budget', '1\n2']],
    [['run', 'aba', '--param', 'n=1\n2']],
    [['run', 'aba\r\n\x1b[31m']],
    [['show', 'aba', '--variant', 'x\ny']],
    [['show', 'aba', '--kernel', '\x1b[2J']],
    [['run', 'dirty-bit-loss', '--schedule', '0.\x1b[2J']],
  ])('%j: exit 2, one escaped line on stderr', (args) => {
    const result = cli(...args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^lockstep: [^\n]*\n$/);
    // The only control character is the final newline.
    expect([...result.stderr].filter((c) => c < ' ' || c === '\x7f')).toEqual(['\n']);
  });

  it('caps a huge echoed argument', () => {
    const result = cli('show', 'x'.repeat(100_000));
    expect(result.status).toBe(2);
    expect(result.stderr.length).toBeLessThan(500);
    expect(result.stderr).toContain('(100000 characters)');
  });

  it('prints JSON for --help --json', () => {
    const result = cli('-h', '--json');
    expect(result.status).toBe(0);
    const usage = (JSON.parse(result.stdout) as { usage: string[] }).usage;
    expect(usage.some((l) => l.startsWith('npm run cli -- show <scenario>'))).toBe(true);
  });

  it('show --json lists each op with its kernel function and file', () => {
    const result = cli('show', 'aba', '--variant', 'slow-path', '--kernel', '7.2', '--json');
    expect(result.status).toBe(0);
    const shown = JSON.parse(result.stdout) as {
      kernel: string;
      threads: { ops: { fn: string; file: string; text: string }[] }[];
    };
    expect(shown.kernel).toBe('7.2');
    const fns = new Set(shown.threads.flatMap((t) => t.ops.map((o) => o.fn)));
    expect(fns).toContain('kvm_mmu_faultin_pfn');
    expect(fns).not.toContain('kvm_faultin_pfn');
  });

  it('show prints the built-in as scenario text, naming the kernel functions', () => {
    const result = cli('show', 'hotplug-order', '--variant', 'documented', '--kernel', '6.8');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^C hotplug-order/);
    expect(result.stdout).toContain('hardware_enable_all');
    expect(result.stdout).toContain('cpus_read_lock();');
  });

  it('show of an unknown variant is one line, exit 2', () => {
    const result = cli('show', 'aba', '--variant', 'x\ny');
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
