/**
 * lockstep's command line. Exit status: 0 ok, 2 bad usage (including a
 * UsageError from report.ts), 1 anything else. Errors are one line on stderr
 * so scripts can show them as-is.
 */
import { exploreReport, listScenarios, runReport, UsageError } from '../scenarios/report';
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
      rejectParams(command.params);
      const report = runReport(command.scenario, command.variant, command.schedule);
      return command.json ? JSON.stringify(report, null, 2) : formatRun(report);
    }
    case 'explore': {
      rejectParams(command.params);
      const report = exploreReport(command.scenario, command.variant, {
        naive: command.naive,
        ...(command.budget !== undefined ? { budget: command.budget } : {}),
      });
      return command.json ? JSON.stringify(report, null, 2) : formatExplore(report);
    }
  }
}

// report.ts has no way to pass parameters yet; refuse rather than ignore them.
function rejectParams(params: Record<string, string>): void {
  const keys = Object.keys(params);
  if (keys.length > 0) {
    throw new UsageError(`--param is not supported yet (got ${keys.join(', ')})`);
  }
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
