/** Human-readable output of the CLI. Pure: reports in, text out. */
import type {
  ExploreReport,
  RunReport,
  ScenarioListing,
  ViolationReport,
} from '../scenarios/report';
import type { BoundedReport, FewestReport, MinimizedReport } from '../scenarios/preemptionReport';

export function formatList(list: readonly ScenarioListing[]): string {
  return list
    .map((s) =>
      [
        `${s.id}  ${s.title}`,
        ...s.variants.map(
          (v) =>
            `  --variant ${v.id}  ${v.title}${v.kernels.length < 3 ? `  [kernels: ${v.kernels.join(', ')}]` : ''}`,
        ),
      ].join('\n'),
    )
    .join('\n\n');
}

/**
 * Text counts steps from 1 (step N is the N-th op), as the app does; the JSON
 * keeps 0-based indices into `steps`.
 */
export function formatViolation(v: ViolationReport): string {
  const n = (i: number) => i + 1;
  const causes = [...new Set(v.causes)].map(n);
  const caused = causes.length > 0 ? `\n  caused by steps ${causes.join(', ')}` : '';
  const trail = v.trail.map(
    (t) =>
      `\n    step ${n(t.step)} ${t.thread} ${t.fn}: ${t.text}${t.outcome ? ` → ${t.outcome}` : ''}  [${t.role}]`,
  );
  return `VIOLATION ${v.kind} at step ${n(v.step)}: ${v.message}${caused}${trail.join('')}`;
}

export function formatRun(report: RunReport): string {
  const lines = [
    `${report.scenario} / ${report.variant} (kernel ${report.kernel}): ${report.steps} steps, schedule ${report.schedule}`,
    `threads: ${report.threads.join(', ')}`,
    ...(report.violations.length > 0 ? report.violations.map(formatViolation) : ['no violation']),
    'final state:',
    ...Object.entries(report.final).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`),
  ];
  return lines.join('\n');
}

const n = (x: number) => (x >= 1e15 ? x.toExponential(2) : x.toLocaleString('en-US'));
const kindList = (byKind: Record<string, number>) =>
  Object.entries(byKind)
    .map(([kind, count]) => `${kind} ${n(count)}`)
    .join(', ');

/** Why an incomplete search stopped, in words. */
export function stopWords(report: Pick<ExploreReport, 'stopReason' | 'states' | 'bytes'>): string {
  switch (report.stopReason) {
    case 'memory':
      return `it ran short of memory (${Math.round(report.bytes / 1e6)} MB held)`;
    case 'cancelled':
      return 'it was cancelled';
    default:
      return `it reached its budget of ${n(report.states)} states`;
  }
}

/** What `executions` counts, so that nobody quotes a ratio only the reduction produced. */
export function executionsMeaning(reduction: string): string {
  return reduction === 'none'
    ? 'every interleaving of the steps that touch shared state'
    : 'paths of the partial-order-reduced state graph, not all interleavings';
}

/**
 * An incomplete search prints only what it counted: the states it explored,
 * the final states and violations it reached; never an execution count.
 */
export function formatExplore(report: ExploreReport): string {
  const lines = [
    `${report.scenario} / ${report.variant} (kernel ${report.kernel}, ${report.reduction}), ${report.ms} ms`,
    `states: ${n(report.states)}`,
    `distinct final states: ${n(report.distinctOutcomes)}, ${n(report.violatingOutcomes)} with a violation${
      report.violatingOutcomes > 0 ? ` (${kindList(report.outcomesByKind)})` : ''
    }`,
  ];
  if (report.complete && report.executions !== null) {
    lines.push(
      `executions: ${n(report.executions)} (${executionsMeaning(report.reduction)})`,
      `violating executions: ${n(report.violatingExecutions ?? 0)}${
        (report.violatingExecutions ?? 0) > 0 ? ` (${kindList(report.violationsByKind)})` : ''
      }`,
      'complete: yes',
    );
  } else {
    lines.push(
      `complete: no: ${stopWords(report)}; executions were not counted`,
      report.violatingOutcomes === 0
        ? `no violation in the ${n(report.states)} states explored; the search is incomplete`
        : `${n(report.violatingOutcomes)} violating final states in the ${n(report.states)} states explored; the search is incomplete`,
    );
  }
  lines.push(...report.lockRules.map((r) => `LOCK RULE ${r.kind}: ${r.message}`));
  const cx = report.counterexample;
  if (cx) {
    lines.push(
      `${report.complete ? 'counterexample (shortest)' : 'counterexample (shortest found so far)'}: ${cx.schedule}`,
      ...cx.violations.map(formatViolation),
      `replay: npm run cli -- run ${shellWord(report.scenario)} --variant ${shellWord(
        report.variant,
      )} --kernel ${report.kernel} --schedule ${shellWord(cx.schedule)}`,
    );
    // The fewest first: the minimised schedule below is then read against it.
    if (report.fewestPreemptions) lines.push(fewestLine(report.fewestPreemptions, cx));
    if (cx.minimized) lines.push(...formatMinimized(report, cx.minimized, cx.preemptions));
  } else {
    lines.push('counterexample: none');
  }
  return lines.join('\n');
}

/** "needs N preemptions; none with N−1", and how that compares with the shortest counterexample. */
function fewestLine(
  few: FewestReport,
  cx: { preemptions: number; minimized: MinimizedReport | null },
) {
  const what = cx.minimized ? `the ${cx.minimized.kind}` : 'the violation';
  const needs =
    few.needed === 0
      ? `${what} needs none: a schedule that switches threads only where one blocks or finishes reaches it`
      : `${what} needs ${preemptionWord(few.needed)}`;
  const below = few.below
    ? `; none of the schedules with ${few.below.bound} reaches it (${n(few.below.states)} states searched)`
    : '';
  const shortest =
    cx.preemptions > few.needed
      ? `; the shortest counterexample above has ${preemptionWord(cx.preemptions)}`
      : '';
  // The schedule is printed below when the minimised one is it (or as few).
  const own = cx.minimized?.minimum ? '' : `: ${few.schedule}`;
  return `fewest preemptions: ${needs}${below}${shortest}${own}`;
}

/** Quotes for a POSIX shell when needed: run-length schedules contain `*`, a glob. */
export function shellWord(word: string): string {
  return /^[\w.,:=+@%/-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const preemptionWord = (k: number): string => (k === 1 ? '1 preemption' : `${k} preemptions`);

/**
 * The minimised counterexample, saying what it is: 1-minimal (no single
 * preemption can go) is not minimum (another schedule may need fewer), so
 * the header names which one it is and where it came from.
 */
function formatMinimized(report: ExploreReport, m: MinimizedReport, shortest: number): string[] {
  const count = m.preemptions.length === 0 ? 'no preemption' : preemptionWord(m.preemptions.length);
  const origin =
    m.from === 'fewest-preemptions'
      ? 'found by the preemption-bounded search'
      : m.originalPreemptions === m.preemptions.length
        ? `the shortest counterexample's own`
        : `minimised from the shortest counterexample's ${shortest}`;
  const required =
    m.preemptions.length === 0
      ? ''
      : m.preemptions.length === 1
        ? `; required: removing it loses the ${m.kind}`
        : `; each one required: removing any one loses the ${m.kind}`;
  const head = m.minimum
    ? `counterexample with the fewest preemptions: ${m.schedule} (${count}, ${origin}${required})`
    : `minimised counterexample: ${m.schedule} (${count}, ${origin}${required}; not known to be the fewest: the search for them stopped at its budget)`;
  return [
    head,
    ...m.preemptions.map(
      (p) =>
        `  step ${p.step + 1}: ${p.toName} runs while ${p.fromName} could go on (${p.fromName} preempted here: required)`,
    ),
    `replay: npm run cli -- run ${shellWord(report.scenario)} --variant ${shellWord(
      report.variant,
    )} --kernel ${report.kernel} --schedule ${shellWord(m.schedule)}`,
  ];
}

/** `explore --preemptions N`: what the bounded search covered and found. */
export function formatBounded(r: BoundedReport): string {
  const lines = [
    `${r.scenario} / ${r.variant} (kernel ${r.kernel}): schedules with at most ${preemptionWord(r.bound)} (a switch away from a CPU that could still run; switches when it blocks or finishes are free)`,
    ...r.searches.map(
      (s) =>
        `  bound ${s.bound}: ${n(s.states)} states${s.found ? ', violation found' : s.complete ? ', no violation' : ', incomplete (budget)'}`,
    ),
  ];
  if (r.needed !== null && r.counterexample) {
    lines.push(
      `needs ${preemptionWord(r.needed)}${r.needed > 0 ? `: the search with ${r.needed - 1} covered every such schedule and found none` : ''}`,
      `counterexample (${r.counterexample.kinds.join(', ')}): ${r.counterexample.schedule}`,
      ...r.counterexample.preemptions.map(
        (p) => `  step ${p.step + 1}: ${p.fromName} preempted by ${p.toName} (required)`,
      ),
    );
  } else if (r.complete) {
    lines.push(`no violation with at most ${preemptionWord(r.bound)}`);
  } else {
    lines.push('no violation found; the search hit its budget and is incomplete');
  }
  return lines.join('\n');
}
