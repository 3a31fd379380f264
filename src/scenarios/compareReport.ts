/**
 * `compare` for the CLI and the app: two builds of one scenario named as
 * `variant@kernel`, run under the same rows (see compare.ts). The app gets
 * the traces to draw; the CLI gets `CompareReport`, plain JSON.
 */
import { parseSchedule, type TraceData } from '../engine';
import { DEFAULT_KERNEL, findScenario, instantiate } from './catalog';
import { compareInstances, type Comparison, type Divergence, type OnlyLoss } from './compare';
import type { ScenarioInstance } from '../engine';
import {
  UsageError,
  parsedText,
  violationReport,
  type Params,
  type ViolationReport,
} from './report';
import { quoteArg } from './quote';
import { asUsage } from './usage';

/** One side of a comparison: a variant and a kernel (either may default). */
export interface CompareSide {
  variant?: string;
  kernel?: string;
}

const SIDE = /^([a-z0-9][a-z0-9-]{0,39})?(?:@(\d{1,2}\.\d{1,2}))?$/;

/**
 * Parses `pinned`, `pinned@7.2` or `@7.2` (the same variant on another
 * kernel); null when the text is none of these.
 */
export function parseSide(text: string): CompareSide | null {
  const m = SIDE.exec(text);
  if (!m || text === '' || text === '@') return null;
  return {
    ...(m[1] !== undefined && { variant: m[1] }),
    ...(m[2] !== undefined && { kernel: m[2] }),
  };
}

/** `variant@kernel`, the form links and the CLI print. */
export function formatSide(side: Required<CompareSide>): string {
  return `${side.variant}@${side.kernel}`;
}

export interface CompareOptions {
  params?: Params;
  /** A's schedule in text form; absent or `canonical`: A's story. */
  schedule?: string;
  /**
   * Scenario text (the editor's or a file's) instead of a built-in: both
   * sides are this text, on two kernels, since its kernel calls run the
   * selected kernel's code. `scenario` then only names it.
   */
  text?: string;
}

/** The two instances a comparison runs; bad input is a UsageError. */
function instancesOf(
  scenario: string,
  a: CompareSide,
  b: CompareSide,
  options: CompareOptions,
): [ScenarioInstance, ScenarioInstance] {
  const ka = a.kernel ?? DEFAULT_KERNEL;
  const kb = b.kernel ?? ka;
  if (options.text !== undefined) {
    const variant = a.variant ?? b.variant;
    if (variant !== undefined)
      throw new UsageError(
        `scenario text has no variants (asked for ${quoteArg(variant)}): compare it with itself on another kernel, e.g. @7.2`,
      );
    if (ka === kb)
      throw new UsageError(
        `compare needs two different kernels for scenario text: both sides are ${ka} (e.g. @7.2)`,
      );
    return [parsedText(options.text, ka).instance, parsedText(options.text, kb).instance];
  }
  const va = a.variant ?? findScenario(scenario)?.variants[0]?.id;
  const vb = b.variant ?? va;
  if (va === vb && ka === kb)
    throw new UsageError(
      `compare needs two different builds: both sides are ${scenario} ${va ?? '?'} on ${ka} (pick another variant or kernel)`,
    );
  const instA = instantiate(scenario, va, options.params ?? {}, ka);
  const instB = instantiate(scenario, vb, options.params ?? {}, kb);
  if (instA.threads.length !== instB.threads.length)
    throw new UsageError(
      `${scenario} ${va} and ${vb} have different threads (${instA.threads.length} and ${instB.threads.length}): their rows cannot be aligned`,
    );
  return [instA, instB];
}

/**
 * The comparison with both traces. B's variant and kernel default to A's;
 * A's variant to the scenario's first. Bad input is a UsageError.
 * With options.text, A and B are that text on two kernels.
 */
export function compareTraces(
  scenario: string,
  a: CompareSide,
  b: CompareSide,
  options: CompareOptions = {},
): Comparison {
  return asUsage(() => {
    const [instA, instB] = instancesOf(scenario, a, b, options);
    const schedule =
      options.schedule === undefined || options.schedule === 'canonical'
        ? instA.canonical
        : parseSchedule(options.schedule, instA.threads.length);
    return compareInstances(instA, instB, schedule);
  });
}

export interface CompareStep {
  /** 0-based index into that side's steps. */
  step: number;
  thread: string;
  fn: string;
  text: string;
  outcome?: string;
}

export interface CompareSideReport {
  variant: string;
  kernel: string;
  schedule: string;
  steps: number;
  violations: ViolationReport[];
}

export interface CompareReport {
  scenario: string;
  a: CompareSideReport;
  b: CompareSideReport;
  rowsFrom: Comparison['rowsFrom'];
  bFollows: Comparison['bFollows'];
  rows: { text: string | null; a: [number, number]; b: [number, number] }[];
  lines: { row: number; a: CompareStep | null; b: CompareStep | null }[];
  divergence: (Divergence & { a: number | null; b: number | null }) | null;
  onlyA: OnlyLoss | null;
  onlyB: OnlyLoss | null;
}

function stepOf(trace: TraceData, step: number | null): CompareStep | null {
  if (step === null) return null;
  const ev = trace.steps[step];
  const th = trace.threads[ev?.thread ?? -1];
  const op = th?.ops[ev?.pc ?? -1];
  return {
    step,
    thread: th?.name ?? '?',
    fn: op?.fn ?? '?',
    text: op?.text ?? '?',
    ...(ev?.outcome !== undefined && { outcome: ev.outcome }),
  };
}

function sideReport(
  trace: TraceData,
  scenario: string,
  options: CompareOptions,
): CompareSideReport {
  // violationReport names threads and lines from the instance the trace ran.
  const inst =
    options.text === undefined
      ? instantiate(scenario, trace.variant, options.params ?? {}, trace.kernel)
      : parsedText(options.text, trace.kernel).instance;
  return {
    variant: trace.variant,
    kernel: trace.kernel,
    schedule: trace.schedule,
    steps: trace.steps.length,
    violations: trace.violations.map((v) => violationReport(v, inst, trace.steps)),
  };
}

/** The comparison as JSON for `compare --json` and the text printer. */
export function compareReport(
  scenario: string,
  a: CompareSide,
  b: CompareSide,
  options: CompareOptions = {},
): CompareReport {
  const c = compareTraces(scenario, a, b, options);
  const d = c.divergence;
  return {
    scenario,
    a: sideReport(c.a, scenario, options),
    b: sideReport(c.b, scenario, options),
    rowsFrom: c.rowsFrom,
    bFollows: c.bFollows,
    rows: c.rows,
    lines: c.lines.map((l) => ({ row: l.row, a: stepOf(c.a, l.a), b: stepOf(c.b, l.b) })),
    divergence: d && { ...d, a: c.lines[d.line]?.a ?? null, b: c.lines[d.line]?.b ?? null },
    onlyA: c.onlyA,
    onlyB: c.onlyB,
  };
}

/** A side named in a link or on the command line, or a one-line reason it is not one. */
export function sideOrError(text: string, what: string): CompareSide | string {
  return (
    parseSide(text) ??
    `${what} ${quoteArg(text)} is not a variant, variant@kernel or @kernel (e.g. pinned@6.12)`
  );
}
