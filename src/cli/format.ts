/** Human-readable output of the CLI. Pure: reports in, text out. */
import type {
  ExploreReport,
  RunReport,
  ScenarioListing,
  ViolationReport,
} from '../scenarios/report';

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

export function formatExplore(report: ExploreReport): string {
  const byKind = Object.entries(report.violationsByKind)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const lines = [
    `${report.scenario} / ${report.variant} (kernel ${report.kernel}, ${report.reduction}), ${report.ms} ms`,
    `executions: ${report.executions}`,
    `states: ${report.states}`,
    `distinct outcomes: ${report.distinctOutcomes}`,
    `violating executions: ${report.violatingExecutions}${byKind ? ` (${byKind})` : ''}`,
    `complete: ${report.complete ? 'yes' : 'no (budget exhausted)'}`,
    ...report.lockRules.map((r) => `LOCK RULE ${r.kind}: ${r.message}`),
  ];
  const cx = report.counterexample;
  if (cx) {
    lines.push(
      `counterexample: ${cx.schedule}`,
      ...cx.violations.map(formatViolation),
      `replay: npm run cli -- run ${shellWord(report.scenario)} --variant ${shellWord(
        report.variant,
      )} --kernel ${report.kernel} --schedule ${shellWord(cx.schedule)}`,
    );
  } else {
    lines.push('counterexample: none');
  }
  return lines.join('\n');
}

/** Quotes for a POSIX shell when needed: run-length schedules contain `*`, a glob. */
export function shellWord(word: string): string {
  return /^[\w.,:=+@%/-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
