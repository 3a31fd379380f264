/**
 * Pure argument parsing for the CLI: argv in, a command or a one-line error
 * out. No I/O, so every case is a row in args.test.ts.
 */
import { parseArgs } from 'node:util';

export type Params = Record<string, string>;

export type Command =
  | { command: 'help' }
  | { command: 'list'; json: boolean }
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
      json: boolean;
    };

export type Parsed = { ok: true; value: Command } | { ok: false; error: string };

export const USAGE = `usage:
  npm run cli -- list [--json]
  npm run cli -- run <scenario> [--variant V] [--kernel 6.8|6.12|7.2] [--param k=v]... [--schedule canonical|S] [--json]
  npm run cli -- explore <scenario> [--variant V] [--kernel 6.8|6.12|7.2] [--param k=v]... [--naive] [--budget N] [--memory MB] [--json]`;

const options = {
  json: { type: 'boolean' },
  variant: { type: 'string' },
  kernel: { type: 'string' },
  param: { type: 'string', multiple: true },
  schedule: { type: 'string' },
  naive: { type: 'boolean' },
  budget: { type: 'string' },
  memory: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Option = keyof typeof options;

const allowed: Record<Exclude<Command['command'], 'help'>, readonly Option[]> = {
  list: ['json'],
  run: ['json', 'variant', 'kernel', 'param', 'schedule'],
  explore: ['json', 'variant', 'kernel', 'param', 'naive', 'budget', 'memory'],
};

const fail = (error: string): Parsed => ({ ok: false, error });

export function parseCommandLine(argv: readonly string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages go on (over several lines) with advice about `--`;
    // the first sentence is enough for a one-line error.
    const message = error instanceof Error ? error.message : String(error);
    return fail(lowerFirst(message.split(/\.(?:\s|$)/)[0] ?? message));
  }
  const { values, positionals } = parsed;
  const [name, scenario, ...extra] = positionals;

  if (values.help || name === 'help') return { ok: true, value: { command: 'help' } };
  if (name === undefined) return fail('missing command: list, run or explore (see --help)');
  if (name !== 'list' && name !== 'run' && name !== 'explore') {
    return fail(`unknown command '${name}': expected list, run or explore`);
  }
  for (const option of Object.keys(values) as Option[]) {
    if (!allowed[name].includes(option))
      return fail(`option --${option} does not apply to ${name}`);
  }
  const json = values.json ?? false;
  if (name === 'list') {
    return scenario === undefined
      ? { ok: true, value: { command: 'list', json } }
      : fail(`unexpected argument '${scenario}'`);
  }
  if (scenario === undefined) return fail(`${name} needs a scenario id (see: npm run cli -- list)`);
  if (extra[0] !== undefined) return fail(`unexpected argument '${extra[0]}'`);

  const params = parseParams(values.param ?? []);
  if (typeof params === 'string') return fail(params);
  const common = {
    scenario,
    params,
    json,
    ...(values.variant !== undefined ? { variant: values.variant } : {}),
    ...(values.kernel !== undefined ? { kernel: values.kernel } : {}),
  };

  if (name === 'run') {
    const schedule = values.schedule;
    if (schedule === '') return fail('--schedule needs a value: canonical or a schedule');
    return {
      ok: true,
      value: {
        command: 'run',
        ...common,
        ...(schedule !== undefined && schedule !== 'canonical' ? { schedule } : {}),
      },
    };
  }

  let budget: number | undefined;
  if (values.budget !== undefined) {
    budget = /^[1-9][0-9]*$/.test(values.budget) ? Number(values.budget) : NaN;
    if (!Number.isSafeInteger(budget)) {
      return fail(`--budget must be a positive integer, got '${values.budget}'`);
    }
  }
  let memory: number | undefined;
  if (values.memory !== undefined) {
    memory = /^[1-9][0-9]*$/.test(values.memory) ? Number(values.memory) : NaN;
    if (!Number.isSafeInteger(memory)) {
      return fail(`--memory must be a positive number of megabytes, got '${values.memory}'`);
    }
  }
  return {
    ok: true,
    value: {
      command: 'explore',
      ...common,
      naive: values.naive ?? false,
      ...(budget !== undefined ? { budget } : {}),
      ...(memory !== undefined ? { memory } : {}),
    },
  };
}

/** `k=v` pairs; returns an error message for a malformed or repeated key. */
function parseParams(pairs: readonly string[]): Params | string {
  const params: Params = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z][\w-]*)=(.+)$/.exec(pair);
    if (!match?.[1] || match[2] === undefined) {
      return `--param expects key=value, got '${pair}'`;
    }
    if (Object.hasOwn(params, match[1])) return `--param ${match[1]} given twice`;
    params[match[1]] = match[2];
  }
  return params;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
