/** Human-readable output of the CLI. Pure: reports in, text out. */
import type {
  ExploreReport,
  RunReport,
  ScenarioListing,
  ViolationReport,
} from '../scenarios/report';
import type { BoundedReport, MinimizedReport } from '../scenarios/preemptionReport';

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
    if (cx.minimized) lines.push(...formatMinimized(report, cx.minimized));
  } else {
    lines.push('counterexample: none');
  }
  const few = report.fewestPreemptions;
  if (few) {
    lines.push(
      `fewest preemptions: the violation needs ${preemptionWord(few.needed)}${
        few.below
          ? `; none of the schedules with ${few.below.bound} reaches it (${n(few.below.states)} states searched)`
          : ''
      }: ${few.schedule}`,
    );
  }
  return lines.join('\n');
}

/** Quotes for a POSIX shell when needed: run-length schedules contain `*`, a glob. */
export function shellWord(word: string): string {
  return /^[\w.,:=+@%/-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const preemptionWord = (k: number): string => (k === 1 ? '1 preemption' : `${k} preemptions`);

function formatMinimized(report: ExploreReport, m: MinimizedReport): string[] {
  return [
    `minimised counterexample: ${m.schedule} (${preemptionWord(m.preemptions.length)}, from ${m.originalPreemptions}; each one required: removing it loses the ${m.kind})`,
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
