/**
 * `run FILE`, `explore FILE`, `show FILE`: the CLI over scenario text. A
 * FILE argument ends in `.litmus`, contains `/`, or is `-` (stdin); every
 * other name is a built-in scenario id and goes to main.ts's commands.
 * Errors are one line, `file:line:col: message`, exit status 2.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  parseSchedule,
  ScenarioError,
  ScheduleError,
  RunawayError,
  type KernelVersion,
  KERNEL_VERSIONS,
} from '../engine';
import { exploreLitmus, litmusResult, parseScenario } from '../lang';
import type { ScenarioInstance } from '../engine';
import { LITMUS_BUDGET } from '../lang/explore';
import { explorePartitioned } from '../engine/partition';
import { defaultWorkers, threadPool } from './parallel';
import { listing, litmusReport, runFile } from './fileReports';

export function isFileArg(arg: string | undefined): arg is string {
  return arg !== undefined && (arg === '-' || arg.endsWith('.litmus') || arg.includes('/'));
}

/** Input errors of a file command: printed as one line, exit 2. */
class FileError extends Error {}

const OPTIONS = {
  json: { type: 'boolean' },
  kernel: { type: 'string' },
  schedule: { type: 'string' },
  budget: { type: 'string' },
  'loop-bound': { type: 'string' },
  naive: { type: 'boolean' },
  workers: { type: 'string' },
  map: { type: 'boolean' },
} as const;

const ALLOWED: Record<string, string[]> = {
  run: ['json', 'kernel', 'schedule', 'loop-bound'],
  explore: ['json', 'kernel', 'budget', 'loop-bound', 'naive', 'workers', 'map'],
  show: ['json', 'kernel', 'loop-bound'],
};

/** Largest file read: the parser refuses longer text anyway, with its own message. */
const MAX_FILE_BYTES = 4 << 20;

/**
 * Handles argv when it names a scenario file; returns null to let the
 * built-in commands handle it.
 */
export function fileCommand(
  argv: readonly string[],
  io: { readStdin: () => string; out: (s: string) => void; err: (s: string) => void },
): number | Promise<number> | null {
  const [command, file] = argv;
  if (command === undefined || !(command in ALLOWED) || !isFileArg(file)) return null;
  const fail = (e: unknown) => {
    if (e instanceof FileError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`${displayName(file)}: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
    return e instanceof ScenarioError || e instanceof ScheduleError || e instanceof RunawayError
      ? 2
      : 1;
  };
  const done = (out: string) => (io.out(`${out}\n`), 0);
  try {
    const out = execute(command, file, argv, io.readStdin);
    // `explore FILE --workers N` searches in threads: the answer comes later.
    return typeof out === 'string' ? done(out) : out.then(done, fail);
  } catch (e) {
    return fail(e);
  }
}

const displayName = (file: string) => (file === '-' ? '<stdin>' : file);

function execute(
  command: string,
  file: string,
  argv: readonly string[],
  readStdin: () => string,
): string | Promise<string> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    throw new FileError(`lockstep: ${(e instanceof Error ? e.message : String(e)).split('. ')[0]}`);
  }
  for (const k of Object.keys(values))
    if (!ALLOWED[command]?.includes(k))
      throw new FileError(`lockstep: option --${k} does not apply to ${command} FILE`);
  const name = displayName(file);
  const kernel = values.kernel;
  if (kernel !== undefined && !(KERNEL_VERSIONS as readonly string[]).includes(kernel))
    throw new FileError(
      `lockstep: unknown kernel '${kernel}': expected ${KERNEL_VERSIONS.join(', ')}`,
    );
  const loopBound = positive(values['loop-bound'], '--loop-bound');
  const text = readFileArg(file, name, readStdin, (m) => new FileError(m));
  const parsed = parseScenario(text, {
    ...(kernel !== undefined && { kernel: kernel as KernelVersion }),
    ...(loopBound !== undefined && { loopBound }),
  });
  if (!parsed.ok) {
    const e = parsed.errors[0];
    throw new FileError(`${name}:${e?.line ?? 1}:${e?.col ?? 1}: ${e?.message ?? 'error'}`);
  }
  const { instance, test } = parsed;
  const json = values.json ?? false;
  if (command === 'show') return json ? JSON.stringify(instance, null, 2) : listing(instance);
  if (command === 'explore') {
    const budget = positive(values.budget, '--budget');
    const workers = workerCount(values.workers);
    const options = {
      por: !(values.naive ?? false),
      budget: budget ?? LITMUS_BUDGET,
      ...(values.map && { keepOutcomes: true }),
    };
    const reduction = values.naive ? 'none' : 'por+hash';
    const report = (r: ReturnType<typeof exploreLitmus>) =>
      litmusReport(test, instance, r, json, reduction);
    if (workers > 1)
      return explorePartitioned(instance, workers, threadPool, options).then((explored) =>
        report({
          result: litmusResult(test, instance, explored),
          budget: options.budget,
          states: explored.states,
          ...(explored.outcomeTable && { table: explored.outcomeTable }),
        }),
      );
    return report(exploreLitmus(test, instance, options));
  }
  return runFile(name, test, instance, scheduleSteps(values.schedule, instance), json);
}

/** `--workers N|auto` (0 or auto: one per core); 1 when absent. */
function workerCount(v: string | undefined): number {
  if (v === undefined) return 1;
  if (v === 'auto' || v === '0') return defaultWorkers();
  if (!/^[1-9][0-9]?$/.test(v) || Number(v) > 64)
    throw new FileError(`lockstep: --workers must be a number from 0 to 64 or 'auto', got '${v}'`);
  return Number(v);
}

function positive(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(v))
    throw new FileError(`lockstep: ${flag} must be a positive integer, got '${v}'`);
  return Number(v);
}

/**
 * The text of a FILE argument (`-`: stdin). A file too large or unreadable
 * is the user's mistake: `fail` makes the caller's one-line error of it,
 * which starts with `name`. compare FILE reads through here too.
 */
export function readFileArg(
  file: string,
  name: string,
  readStdin: () => string,
  fail: (message: string) => Error,
): string {
  try {
    if (file === '-') return readStdin();
    if (statSync(file).size <= MAX_FILE_BYTES) return readFileSync(file, 'utf8');
  } catch (e) {
    throw fail(`${name}: cannot read: ${(e as { code?: string }).code ?? String(e)}`);
  }
  throw fail(`${name}: larger than ${MAX_FILE_BYTES >> 20} MB; not a litmus test`);
}

/** `--schedule S` as thread indices; `canonical` (or none) runs the file's threads in order. */
function scheduleSteps(schedule: string | undefined, instance: ScenarioInstance): number[] {
  if (schedule === undefined || schedule === 'canonical') return [];
  try {
    return parseSchedule(schedule, instance.threads.length);
  } catch (e) {
    throw new FileError(`lockstep: ${e instanceof Error ? e.message : String(e)}`);
  }
}
