/**
 * Pure argument parsing for the CLI: argv in, a command or a one-line error
 * out. No I/O, so every case is a row in args.test.ts.
 */
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../export/formats';
import { quoteArg } from '../scenarios/quote';

export type Params = Record<string, string>;

export type Command =
  | { command: 'help'; json: boolean }
  | { command: 'list'; json: boolean }
  | {
      command: 'show';
      scenario: string;
      variant?: string;
      params: Params;
      kernel?: string;
      json: boolean;
    }
  | {
      command: 'run';
      scenario: string;
      variant?: string;
      params: Params;
      /** Kernel version (6.8, 6.12, 7.2); absent means 6.12. */
      kernel?: string;
      /** Absent means the canonical schedule. */
      schedule?: string;
      json: boolean;
      /** An export instead of the report (src/export); `width` is the SVG's. */
      format?: ExportFormat;
      width?: number;
    }
  | {
      command: 'explore';
      scenario: string;
      variant?: string;
      params: Params;
      kernel?: string;
      naive: boolean;
      budget?: number;
      /** Megabytes the search may hold (its own estimate). */
      memory?: number;
      /** Only schedules with at most this many preemptions (iterative bounding). */
      preemptions?: number;
      /** Search threads (`--workers`); 0 means one per core. Absent: 1. */
      workers?: number;
      /** Also print the outcome map: every final state grouped by kind and differing fields. */
      map?: boolean;
      json: boolean;
    };

export type Parsed = { ok: true; value: Command } | { ok: false; error: string };

export const USAGE = `usage:
  npm run cli -- list [--json]
  npm run cli -- show <scenario> [--variant V] [--kernel 6.8|6.12|7.2] [--param k=v]... [--json]
  npm run cli -- run <scenario> [--variant V] [--kernel 6.8|6.12|7.2] [--param k=v]... [--schedule canonical|S] [--json | --format svg|rst|text|perfetto [--width PX]]
  npm run cli -- explore <scenario> [--variant V] [--kernel 6.8|6.12|7.2] [--param k=v]... [--naive] [--budget N] [--memory MB] [--preemptions N] [--workers N|auto] [--map] [--json]
  npm run cli -- compare <scenario> [--variant A] --with B|B@K2|@K2 [--kernel K] [--kernel-b K2] [--param k=v]... [--schedule S] [--json]
  npm run cli -- compare FILE --with @K2 [--kernel K] [--schedule S] [--json]`;

const options = {
  json: { type: 'boolean' },
  variant: { type: 'string' },
  kernel: { type: 'string' },
  param: { type: 'string', multiple: true },
  schedule: { type: 'string' },
  naive: { type: 'boolean' },
  map: { type: 'boolean' },
  budget: { type: 'string' },
  preemptions: { type: 'string' },
  memory: { type: 'string' },
  workers: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  format: { type: 'string' },
  width: { type: 'string' },
} as const;

type Option = keyof typeof options;

const allowed: Record<Exclude<Command['command'], 'help'>, readonly Option[]> = {
  list: ['json'],
  run: ['json', 'variant', 'kernel', 'param', 'schedule', 'format', 'width'],
  show: ['json', 'variant', 'kernel', 'param'],
  explore: [
    'json',
    'variant',
    'kernel',
    'param',
    'naive',
    'budget',
    'memory',
    'preemptions',
    'workers',
    'map',
  ],
};

const fail = (error: string): Parsed => ({ ok: false, error });

export function parseCommandLine(argv: readonly string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages go on (over several lines) with advice about `--`,
    // and echo the option raw: name it quoted, or keep the first sentence.
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '([\s\S]*?)'\. To specify/.exec(message);
    if (unknown?.[1] !== undefined) return fail(`unknown option ${quoteArg(unknown[1])}`);
    return fail(lowerFirst(message.split(/\.(?:\s|$)/)[0] ?? message));
  }
  const { values, positionals } = parsed;
  const [name, scenario, ...extra] = positionals;

  if (values.help || name === 'help')
    return { ok: true, value: { command: 'help', json: values.json ?? false } };
  if (name === undefined) return fail('missing command: list, show, run or explore (see --help)');
  if (name !== 'list' && name !== 'show' && name !== 'run' && name !== 'explore') {
    return fail(`unknown command ${quoteArg(name)}: expected list, show, run or explore`);
  }
  for (const option of Object.keys(values) as Option[]) {
    if (!allowed[name].includes(option))
      return fail(`option --${option} does not apply to ${name}`);
  }
  const json = values.json ?? false;
  if (name === 'list') {
    return scenario === undefined
      ? { ok: true, value: { command: 'list', json } }
      : fail(`unexpected argument ${quoteArg(scenario)}`);
  }
  if (scenario === undefined) return fail(`${name} needs a scenario id (see: npm run cli -- list)`);
  if (extra[0] !== undefined) return fail(`unexpected argument ${quoteArg(extra[0])}`);

  const params = parseParams(values.param ?? []);
  if (typeof params === 'string') return fail(params);
  const common = {
    scenario,
    params,
    json,
    ...(values.variant !== undefined ? { variant: values.variant } : {}),
    ...(values.kernel !== undefined ? { kernel: values.kernel } : {}),
  };

  if (name === 'show') return { ok: true, value: { command: 'show', ...common } };
  if (name === 'run') {
    const schedule = values.schedule;
    if (schedule === '') return fail('--schedule needs a value: canonical or a schedule');
    const exp = exportOptions(values.format, values.width, json);
    if (typeof exp === 'string') return fail(exp);
    return {
      ok: true,
      value: {
        command: 'run',
        ...common,
        ...(schedule !== undefined && schedule !== 'canonical' ? { schedule } : {}),
        ...exp,
      },
    };
  }

  let budget: number | undefined;
  if (values.budget !== undefined) {
    budget = /^[1-9][0-9]*$/.test(values.budget) ? Number(values.budget) : NaN;
    if (!Number.isSafeInteger(budget)) {
      return fail(`--budget must be a positive integer, got ${quoteArg(values.budget)}`);
    }
  }
  let memory: number | undefined;
  if (values.memory !== undefined) {
    memory = /^[1-9][0-9]*$/.test(values.memory) ? Number(values.memory) : NaN;
    if (!Number.isSafeInteger(memory)) {
      return fail(
        `--memory must be a positive number of megabytes, got ${quoteArg(values.memory)}`,
      );
    }
  }
  let preemptions: number | undefined;
  if (values.preemptions !== undefined) {
    preemptions = /^(0|[1-9][0-9]?)$/.test(values.preemptions) ? Number(values.preemptions) : NaN;
    if (Number.isNaN(preemptions))
      return fail(
        `--preemptions must be a whole number from 0 to 99, got ${quoteArg(values.preemptions)}`,
      );
    if (values.naive)
      return fail(
        '--preemptions and --naive do not combine: the bounded search has no reduction to turn off',
      );
    if (values.map)
      return fail('--preemptions and --map do not combine: the map draws the full search');
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers =
      values.workers === 'auto'
        ? 0
        : /^[0-9]{1,2}$/.test(values.workers)
          ? Number(values.workers)
          : NaN;
    if (!(workers >= 0 && workers <= 64))
      return fail(
        `--workers must be a number from 0 to 64 or 'auto', got ${quoteArg(values.workers)}`,
      );
    if (preemptions !== undefined && workers !== 1)
      return fail('--workers applies to the full search, not to --preemptions');
  }
  return {
    ok: true,
    value: {
      command: 'explore',
      ...common,
      naive: values.naive ?? false,
      ...(values.map ? { map: true } : {}),
      ...(budget !== undefined ? { budget } : {}),
      ...(memory !== undefined ? { memory } : {}),
      ...(preemptions !== undefined ? { preemptions } : {}),
      ...(workers !== undefined ? { workers } : {}),
    },
  };
}

/** `--format` and `--width` of `run`, or an error message. */
function exportOptions(
  format: string | undefined,
  width: string | undefined,
  json: boolean,
): { format?: ExportFormat; width?: number } | string {
  if (format === undefined) return width === undefined ? {} : '--width applies to --format svg';
  if (!isExportFormat(format)) {
    return `unknown --format '${format}': expected ${EXPORT_FORMATS.join(', ')}`;
  }
  if (json) return '--json and --format cannot be combined';
  if (width === undefined) return { format };
  const px = /^[1-9][0-9]*$/.test(width) ? Number(width) : NaN;
  if (format !== 'svg') return '--width applies to --format svg';
  if (!(px >= 640 && px <= 7680)) return `--width must be 640 to 7680 pixels, got '${width}'`;
  return { format, width: px };
}

/** `k=v` pairs; returns an error message for a malformed or repeated key. */
function parseParams(pairs: readonly string[]): Params | string {
  const params: Params = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z][\w-]*)=(.+)$/.exec(pair);
    if (!match?.[1] || match[2] === undefined) {
      return `--param expects key=value, got ${quoteArg(pair)}`;
    }
    if (Object.hasOwn(params, match[1])) return `--param ${match[1]} given twice`;
    params[match[1]] = match[2];
  }
  return params;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
