import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFileArg, readFileArg } from './files';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lockstep-litmus-'));

function cli(args: string[], input?: string) {
  return spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    ...(input !== undefined && { input }),
  });
}

const MP = `C MP+mine
(* Result: Never *)
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = smp_load_acquire(y); r1 = READ_ONCE(*x); }
exists (1:r0=0 /\\ 1:r1=1)
`;

describe('readFileArg', () => {
  class Mine extends Error {}
  const read = (file: string) =>
    readFileArg(
      file,
      'NAME',
      () => 'from stdin',
      (m) => new Mine(m),
    );

  it('reads stdin for -, and a file by its path', () => {
    const small = join(dir, 'small.litmus');
    writeFileSync(small, MP);
    expect([read('-'), read(small)]).toEqual(['from stdin', MP]);
  });

  it("turns a missing or too large file into the caller's error, named", () => {
    const big = join(dir, 'big.litmus');
    writeFileSync(big, Buffer.alloc((4 << 20) + 1, 0x20));
    expect(() => read(big)).toThrow(new Mine('NAME: larger than 4 MB; not a litmus test'));
    expect(() => read(join(dir, 'nope.litmus'))).toThrow(new Mine('NAME: cannot read: ENOENT'));
    expect(() => read(join(dir, 'nope.litmus'))).toThrow(Mine);
  });
});

describe('FILE arguments', () => {
  it('are .litmus names, paths and -', () => {
    expect(['a.litmus', './a', '-', 'aba', 'dirty-bit'].map(isFileArg)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('explore FILE prints herd7 form with the SC final states', () => {
    const file = join(dir, 'mp.litmus');
    writeFileSync(file, MP);
    const r = cli(['explore', file]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, 10)).toEqual([
      'Test MP+mine Allowed',
      'States 3',
      '1:r0=0; 1:r1=0;',
      '1:r0=0; 1:r1=1;',
      '1:r0=1; 1:r1=1;',
      'Ok',
      'Witnesses',
      'Positive: 1 Negative: 2',
      'Condition exists (1:r0=0 /\\ 1:r1=1)',
      'Observation MP+mine Sometimes 1 2',
    ]);
    expect(r.stdout).toContain('under sequential consistency');
    expect(r.stdout).toContain('MISMATCH');
  });

  it('--json gives the states with a witness that run --schedule replays', () => {
    const r = cli(['explore', '-', '--json'], MP);
    expect(r.status).toBe(0);
    const data = JSON.parse(r.stdout) as {
      states: { values: Record<string, number>; holds: boolean; witness: string }[];
      semantics: string;
    };
    expect(data.semantics).toBe('sequential consistency');
    const hit = data.states.find((s) => s.holds);
    expect(hit?.values).toEqual({ '1:r0': 0, '1:r1': 1 });
    const run = cli(['run', '-', '--schedule', hit?.witness ?? '', '--json'], MP);
    expect(run.status).toBe(0);
    const replay = JSON.parse(run.stdout) as { final: Record<string, string>; condition: boolean };
    expect(replay).toMatchObject({ final: { '1:r0': '0', '1:r1': '1' }, condition: true });
  });

  it('explore FILE --workers 2 (worker threads) prints what one thread prints', () => {
    const one = cli(['explore', '-', '--json'], MP);
    const two = cli(['explore', '-', '--json', '--workers', '2'], MP);
    expect(two.stderr).toBe('');
    expect(two.status).toBe(0);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    const bad = cli(['explore', '-', '--workers', 'many'], MP);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      "lockstep: --workers must be a number from 0 to 64 or 'auto', got 'many'\n",
    );
  });

  it('a syntax error is file:line:col: message on one line, exit 2', () => {
    const r = cli(['explore', '-'], MP.replace('smp_load_acquire', 'smp_load_aquire'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "<stdin>:5:43: unknown primitive 'smp_load_aquire'; did you mean 'smp_load_acquire'?\n",
    );
  });

  it('show FILE lists the compiled ops; a missing file is one line, exit 2', () => {
    const show = cli(['show', '-'], MP);
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('store            WRITE_ONCE(*x, 1);');
    const missing = cli(['explore', join(dir, 'nope.litmus')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.litmus: cannot read: ENOENT\n$/);
  });

  it('a run whose schedule picks a finished thread is a one-line error', () => {
    const r = cli(['run', '-', '--schedule', '0.0.0.0.0.0'], MP);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('show <scenario> prints the built-in as text that explores to the same violation', () => {
    const show = cli(['show', 'dirty-bit-loss', '--variant', 'buggy']);
    expect(show.status).toBe(0);
    expect(show.stdout.startsWith('C dirty-bit-loss\n')).toBe(true);
    const r = cli(['explore', '-'], show.stdout);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('VIOLATION lost-dirty-bit');
    expect(cli(['show', 'nope']).status).toBe(2);
  });
});
