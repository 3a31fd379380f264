import { describe, expect, it } from 'vitest';
import { parseCommandLine, type Command } from './args';

const ok: [string, Command][] = [
  ['list', { command: 'list', json: false }],
  ['list --json', { command: 'list', json: true }],
  ['--json list', { command: 'list', json: true }],
  ['--help', { command: 'help', json: false }],
  ['help', { command: 'help', json: false }],
  ['-h --json', { command: 'help', json: true }],
  ['run aba --json --help', { command: 'help', json: true }],
  ['show aba', { command: 'show', scenario: 'aba', params: {}, json: false }],
  [
    'show aba --variant pinned --kernel 7.2 --json',
    { command: 'show', scenario: 'aba', variant: 'pinned', kernel: '7.2', params: {}, json: true },
  ],
  ['run aba', { command: 'run', scenario: 'aba', params: {}, json: false }],
  ['run aba --schedule canonical', { command: 'run', scenario: 'aba', params: {}, json: false }],
  [
    'run aba --variant fixed --schedule 0.0.1*3.0 --json',
    {
      command: 'run',
      scenario: 'aba',
      variant: 'fixed',
      schedule: '0.0.1*3.0',
      params: {},
      json: true,
    },
  ],
  [
    'run aba --param vcpus=3 --param gfns=2',
    { command: 'run', scenario: 'aba', params: { vcpus: '3', gfns: '2' }, json: false },
  ],
  ['explore aba', { command: 'explore', scenario: 'aba', params: {}, naive: false, json: false }],
  [
    'explore aba --preemptions 0',
    { command: 'explore', scenario: 'aba', params: {}, naive: false, preemptions: 0, json: false },
  ],
  [
    'explore aba --workers 3',
    { command: 'explore', scenario: 'aba', params: {}, naive: false, workers: 3, json: false },
  ],
  [
    'explore aba --workers auto',
    { command: 'explore', scenario: 'aba', params: {}, naive: false, workers: 0, json: false },
  ],
  [
    'explore aba --naive --budget 1000 --variant buggy',
    {
      command: 'explore',
      scenario: 'aba',
      variant: 'buggy',
      params: {},
      naive: true,
      budget: 1000,
      json: false,
    },
  ],
];

const errors: [string, string][] = [
  ['', 'missing command: list, show, run or explore (see --help)'],
  ['bogus', "unknown command 'bogus': expected list, show, run or explore"],
  ['show', 'show needs a scenario id (see: npm run cli -- list)'],
  ['show aba --schedule 0', 'option --schedule does not apply to show'],
  ['show aba --budget 3', 'option --budget does not apply to show'],
  ['list extra', "unexpected argument 'extra'"],
  ['list --variant x', 'option --variant does not apply to list'],
  ['run', 'run needs a scenario id (see: npm run cli -- list)'],
  ['explore', 'explore needs a scenario id (see: npm run cli -- list)'],
  ['run aba extra', "unexpected argument 'extra'"],
  ['run aba --naive', 'option --naive does not apply to run'],
  ['run aba --budget 3', 'option --budget does not apply to run'],
  ['explore aba --schedule 0.1', 'option --schedule does not apply to explore'],
  ['run aba --frobnicate', "unknown option '--frobnicate'"],
  ['run aba --variant', "option '--variant <value>' argument missing"],
  ['run aba --schedule=', '--schedule needs a value: canonical or a schedule'],
  ['run aba --param vcpus', "--param expects key=value, got 'vcpus'"],
  ['run aba --param =3', "--param expects key=value, got '=3'"],
  ['run aba --param n=1 --param n=2', '--param n given twice'],
  ['explore aba --budget 0', "--budget must be a positive integer, got '0'"],
  ['explore aba --preemptions 1.5', "--preemptions must be a whole number from 0 to 99, got '1.5'"],
  ['explore aba --preemptions 2x', "--preemptions must be a whole number from 0 to 99, got '2x'"],
  [
    'explore aba --preemptions 2 --naive',
    '--preemptions and --naive do not combine: the bounded search has no reduction to turn off',
  ],
  ['run aba --preemptions 1', 'option --preemptions does not apply to run'],
  ['explore aba --workers 65', "--workers must be a number from 0 to 64 or 'auto', got '65'"],
  ['explore aba --workers two', "--workers must be a number from 0 to 64 or 'auto', got 'two'"],
  [
    'explore aba --workers 2 --preemptions 1',
    '--workers applies to the full search, not to --preemptions',
  ],
  ['run aba --workers 2', 'option --workers does not apply to run'],
  ['explore aba --budget -5', "option '--budget' argument is ambiguous"],
  ['explore aba --budget=-5', "--budget must be a positive integer, got '-5'"],
  ['explore aba --budget 1e3', "--budget must be a positive integer, got '1e3'"],
  [
    'explore aba --budget 99999999999999999999',
    "--budget must be a positive integer, got '99999999999999999999'",
  ],
];

const argv = (line: string) => line.split(' ').filter(Boolean);

describe('parseCommandLine', () => {
  it.each(ok)('accepts `%s`', (line, expected) => {
    expect(parseCommandLine(argv(line))).toEqual({ ok: true, value: expected });
  });

  it.each(errors)('rejects `%s`', (line, error) => {
    expect(parseCommandLine(argv(line))).toEqual({ ok: false, error });
  });
});

/**
 * issue 9 §7: an argument with a newline, a carriage return or a terminal
 * escape never breaks the one-line error, and a long one is capped.
 */
const hostile: [string[], string][] = [
  [['explore', 'aba', '--budget', '1\n2'], "--budget must be a positive integer, got '1\\n2'"],
  [['run', 'aba', '--param', 'n=1\n2'], "--param expects key=value, got 'n=1\\n2'"],
  [['bogus\ncmd'], "unknown command 'bogus\\ncmd': expected list, show, run or explore"],
  [['run', 'aba', '--frob\nnicate'], "unknown option '--frob\\nnicate'"],
  [['run', 'aba', '--x\r\x1b[2J'], "unknown option '--x\\r\\x1b[2J'"],
  [['list', '\x1b]0;title\x07'], "unexpected argument '\\x1b]0;title\\x07'"],
  [['run', 'aba', 'extra\u202e'], "unexpected argument 'extra\\u{202e}'"],
];

describe('hostile arguments', () => {
  it.each(hostile)('%j', (args, error) => {
    expect(parseCommandLine(args)).toEqual({ ok: false, error });
  });

  it('caps an echoed argument', () => {
    const parsed = parseCommandLine(['bogus'.repeat(10_000)]);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toContain('(50000 characters)');
      expect(parsed.error.length).toBeLessThan(200);
    }
  });
});
