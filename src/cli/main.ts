/**
 * lockstep's command line. Exit status: 0 ok, 2 bad usage (including a
 * UsageError from report.ts), 1 anything else. Errors are one line on stderr
 * so scripts can show them as-is.
 */
import {
  exploreReport,
  exploreReportWith,
  listScenarios,
  runReport,
  traceReport,
  UsageError,
  type ExploreReport,
  type ExploreRequest,
} from '../scenarios/report';
import { getHeapStatistics } from 'node:v8';
import { parseCommandLine, USAGE, type Command } from './args';
import { formatBounded, formatExplore, formatList, formatRun } from './format';
import { formatMap } from './mapFormat';
import { boundedReport } from '../scenarios/preemptionReport';
import { fileCommand } from './files';
import { readFileSync } from 'node:fs';
import { UnknownScenarioError } from '../scenarios/catalog';
import { escapeControls } from '../scenarios/quote';
import { showReport } from '../scenarios/show';
import { instantiate } from '../scenarios/catalog';
import { printScenario } from '../lang';

// What only some commands need (the exports, compare, the threads of
// --workers) is imported when asked for: every module costs the tsx loader a
// few milliseconds at start, and `explore` is timed as a whole process.
async function execute(command: Command): Promise<string> {
  switch (command.command) {
    case 'help':
      // --json asks for JSON, even of the usage text.
      return command.json
        ? JSON.stringify(
            {
              usage: USAGE.split('\n')
                .slice(1)
                .map((l) => l.trim()),
            },
            null,
            2,
          )
        : USAGE;
    case 'show': {
      if (command.json) {
        const report = showReport(
          command.scenario,
          command.variant,
          command.params,
          command.kernel,
        );
        return JSON.stringify(report, null, 2);
      }
      // The built-in as scenario text, which `run FILE` / `explore FILE` read back.
      return printScenario(
        instantiate(command.scenario, command.variant, command.params, command.kernel),
      );
    }
    case 'list': {
      const list = listScenarios();
      return command.json ? JSON.stringify(list, null, 2) : formatList(list);
    }
    case 'run': {
      if (command.format !== undefined) {
        // The same completed run as the report, as a trace the exports draw from.
        const trace = traceReport(command.scenario, command.variant, command.schedule, {
          complete: true,
          params: command.params,
          ...(command.kernel !== undefined ? { kernel: command.kernel } : {}),
        });
        const width = command.width !== undefined ? { width: command.width } : {};
        const { exportTrace } = await import('../export');
        return exportTrace(trace, command.format, width);
      }
      const report = runReport(
        command.scenario,
        command.variant,
        command.schedule,
        command.params,
        command.kernel,
      );
      return command.json ? JSON.stringify(report, null, 2) : formatRun(report);
    }
    case 'explore': {
      if (command.preemptions !== undefined) {
        const bounded = boundedReport(command.scenario, command.variant, {
          bound: command.preemptions,
          params: command.params,
          ...(command.kernel !== undefined ? { kernel: command.kernel } : {}),
          ...(command.budget !== undefined ? { budget: command.budget } : {}),
        });
        return command.json ? JSON.stringify(bounded, null, 2) : formatBounded(bounded);
      }
      return exploreOutput(
        command,
        exploreReport(command.scenario, command.variant, exploreRequest(command)),
      );
    }
  }
}

/**
 * The search's own byte estimate covers its store; the JS heap (final-state
 * keys, the report) has its own limit. Stop with the partial result while a
 * quarter of the heap is still free, rather than die with "heap out of memory".
 */
function heapShort(): boolean {
  const h = getHeapStatistics();
  return h.used_heap_size > h.heap_size_limit * 0.75;
}

/** Longest error line printed: a message never floods the terminal. */
const MAX_ERROR = 400;

/**
 * The last guard of the one-line contract: our own multi-line messages are
 * joined, then any control character left (from input echoed raw by a
 * lower layer) is shown escaped, and the line is capped.
 */
function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = escapeControls(text.replace(/\s*\n\s*/g, ' ').trim()) || 'unknown error';
  return line.length > MAX_ERROR ? `${line.slice(0, MAX_ERROR)}…` : line;
}

/** `compare` has its own parser (compare.ts); same exit statuses as the rest. */
async function compare(argv: readonly string[]): Promise<number> {
  const { parseCompare, runCompare } = await import('./compare');
  const parsed = parseCompare(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`lockstep: ${oneLine(parsed)}\n`);
    return 2;
  }
  try {
    process.stdout.write(`${runCompare(parsed)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`lockstep: ${oneLine(error)}\n`);
    return error instanceof UsageError || error instanceof UnknownScenarioError ? 2 : 1;
  }
}

/** `explore --workers N` (N > 1): the same report from the partitioned search, in threads. */
async function exploreInThreads(command: ExploreCommand, workers: number) {
  const { explorePartitioned } = await import('../engine/partition');
  const { threadPool } = await import('./parallel');
  const report = await exploreReportWith(
    command.scenario,
    command.variant,
    exploreRequest(command),
    (inst, options) => explorePartitioned(inst, workers, threadPool, options),
  );
  return exploreOutput(command, report);
}

type ExploreCommand = Extract<Command, { command: 'explore' }>;

/** One request for both searches: `--workers` changes the time, never what is asked. */
function exploreRequest(command: ExploreCommand): ExploreRequest {
  return {
    naive: command.naive,
    params: command.params,
    ...(command.kernel !== undefined ? { kernel: command.kernel } : {}),
    ...(command.budget !== undefined ? { budget: command.budget } : {}),
    ...(command.memory !== undefined ? { maxBytes: command.memory * 1e6 } : {}),
    memoryShort: heapShort,
    map: command.map ?? false,
  };
}

function exploreOutput(command: ExploreCommand, report: ExploreReport): string {
  if (command.json) return JSON.stringify(report, null, 2);
  const text = formatExplore(report);
  return report.map ? `${text}\n\n${formatMap(report.map, report.reduction)}` : text;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'compare') return compare(argv.slice(1));
  // FILE arguments (`x.litmus`, a path, `-`) are scenario text: see files.ts.
  const viaFile = fileCommand(argv, {
    readStdin: () => readFileSync(0, 'utf8'),
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  });
  if (viaFile !== null) return viaFile;
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) {
    process.stderr.write(`lockstep: ${oneLine(parsed.error)}\n`);
    return 2;
  }
  try {
    const c = parsed.value;
    const workers =
      c.command !== 'explore'
        ? 1
        : c.workers === 0
          ? (await import('./parallel')).defaultWorkers()
          : c.workers;
    const out =
      c.command === 'explore' && workers !== undefined && workers > 1
        ? await exploreInThreads(c, workers)
        : await execute(c);
    process.stdout.write(`${out}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`lockstep: ${oneLine(error)}\n`);
    return error instanceof UsageError || error instanceof UnknownScenarioError ? 2 : 1;
  }
}

// exitCode rather than exit(): let a large --json output drain through a pipe.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`lockstep: ${oneLine(error)}\n`);
    process.exitCode = 1;
  },
);
