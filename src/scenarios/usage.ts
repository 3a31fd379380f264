/**
 * What a user asked for, as an instance: a built-in by id, variant, kernel
 * and parameters, or scenario text. Bad input becomes a UsageError, which
 * the CLI prints as one line (exit 2) and the app as a message.
 */
import { RunawayError, ScheduleError, type ScenarioInstance } from '../engine';
import { DEFAULT_KERNEL, UnknownScenarioError, instantiate, parseKernel } from './catalog';
import { parseScenario, type LitmusTest } from '../lang';

/** Scenario parameters as given on the command line or in a link (`n=8`). */
export type Params = Record<string, string | number>;

/** Bad user input (unknown scenario or variant, malformed or impossible schedule). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Runs bad input through `f`, turning the engine's input errors into UsageError. */
export function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (
      e instanceof UnknownScenarioError ||
      e instanceof ScheduleError ||
      e instanceof RunawayError
    )
      throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The instance of a built-in, or of scenario text when `text` is given (the
 * editor's): a parse error becomes a UsageError naming its line and column.
 */
export function instanceOf(
  scenario: string,
  variant: string | undefined,
  params: Params = {},
  kernel: string = DEFAULT_KERNEL,
  text?: string,
): ScenarioInstance {
  if (text === undefined) return instantiate(scenario, variant, params, kernel);
  return parsedText(text, kernel).instance;
}

/** Scenario text as an instance of `kernel`, with its litmus test (condition, columns); compare uses it too. */
export function parsedText(
  text: string,
  kernel: string,
): { instance: ScenarioInstance; test: LitmusTest } {
  const k = parseKernel(kernel);
  const r = parseScenario(text, { kernel: k });
  if (!r.ok) {
    const e = r.errors[0];
    throw new UsageError(e ? `line ${e.line}:${e.col}: ${e.message}` : 'the text does not parse');
  }
  return { instance: { ...r.instance, kernel: k }, test: r.test };
}
