/**
 * lockstep's command line. Exit status: 0 ok, 2 bad usage (including a
 * UsageError from report.ts), 1 anything else. Errors are one line on stderr
 * so scripts can show them as-is.
 */
import { exploreReport, listScenarios, runReport, UsageError } from '../scenarios/report';
import { getHeapStatistics } from 'node:v8';
import { parseCommandLine, USAGE, type Command } from './args';
import { formatExplore, formatList, formatRun } from './format';

function execute(command: Command): string {
  switch (command.command) {
    case 'help':
      return USAGE;
    case 'list': {
      const list = listScenarios();
      return command.json ? JSON.stringify(list, null, 2) : formatList(list);
    }
    case 'run': {
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
      const report = exploreReport(command.scenario, command.variant, {
        naive: command.naive,
        params: command.params,
        ...(command.kernel !== undefined ? { kernel: command.kernel } : {}),
        ...(command.budget !== undefined ? { budget: command.budget } : {}),
        ...(command.memory !== undefined ? { maxBytes: command.memory * 1e6 } : {}),
        memoryShort: heapShort,
      });
      return command.json ? JSON.stringify(report, null, 2) : formatExplore(report);
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

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}

function main(argv: readonly string[]): number {
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) {
    process.stderr.write(`lockstep: ${parsed.error}\n`);
    return 2;
  }
  try {
    process.stdout.write(`${execute(parsed.value)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`lockstep: ${oneLine(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

// exitCode rather than exit(): let a large --json output drain through a pipe.
process.exitCode = main(process.argv.slice(2));
