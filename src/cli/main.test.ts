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

  it('prints usage for --help', () => {
    const result = cli('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('npm run cli -- explore <scenario>');
  });
});
