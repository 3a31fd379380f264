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
      "lockstep: unknown command 'bogus-command': expected list, run or explore\n",
    );
  });

  it('exits 2 for a bad --budget before calling the engine', () => {
    const result = cli('explore', 'aba', '--budget', 'lots');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("lockstep: --budget must be a positive integer, got 'lots'\n");
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

  it('prints usage for --help', () => {
    const result = cli('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('npm run cli -- explore <scenario>');
  });
});
