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

  it('show prints a readable listing', () => {
    const result = cli('show', 'hotplug-order', '--variant', 'documented', '--kernel', '6.8');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('hardware_enable_all  virt/kvm/kvm_main.c');
    expect(result.stdout).toMatch(/^ +0 {2}cpus_read_lock\(\);/m);
  });
});
