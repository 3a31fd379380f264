/**
 * A lock-order finding written as lockdep writes it, so that a kernel
 * developer recognises it at a glance: "possible circular locking
 * dependency detected", the dependency chain in reverse order, and the
 * "Possible unsafe locking scenario" CPU0/CPU1 table. The stacks are the
 * kernel functions and pseudo-C of the steps that took the locks; there is
 * no usage-bit annotation ({+.+.}) because the model has no IRQ contexts.
 */
import type { TraceData, Violation } from '../engine';

interface Take {
  step: number;
  thread: number;
  lock: string;
}

/** The lock a step took, if it took one. */
function takeAt(trace: TraceData, step: number): Take | undefined {
  const ev = trace.steps[step];
  const s = ev?.sync;
  return ev && s?.kind === 'acquire' ? { step, thread: ev.thread, lock: s.lock } : undefined;
}

function stackLine(trace: TraceData, t: Take): string {
  const ev = trace.steps[t.step];
  const op = ev ? trace.threads[ev.thread]?.ops[ev.pc] : undefined;
  const text = (op?.text ?? '').split('\n')[0]?.trim() ?? '';
  return `       ${op?.fn ?? '?'}: ${text}  [step ${t.step}]`;
}

/**
 * The report for one two-thread cycle: the thread of the violating step
 * (CPU0) holds `held` and tries `next`; the other (CPU1) took them in the
 * other order. Longer cycles get the chain without the scenario table, as
 * lockdep itself prints "Chain exists of:" for them.
 */
export function lockdepReport(trace: TraceData, v: Violation): string | undefined {
  const takes = v.causes.map((c) => takeAt(trace, c)).filter((t): t is Take => t !== undefined);
  const current = takes.find((t) => t.step === v.step);
  if (!current) return undefined;
  const mine = takes.filter((t) => t.thread === current.thread && t.step < current.step);
  const held = mine[mine.length - 1];
  const others = takes.filter((t) => t.thread !== current.thread);
  if (!held || others.length < 2) return undefined;
  const name = (t: number) => trace.threads[t]?.name ?? `thread ${t}`;
  const rule = '======================================================';
  const lines = [
    rule,
    'WARNING: possible circular locking dependency detected',
    `lockstep ${trace.scenario}/${trace.variant} (kernel ${trace.kernel})`,
    '------------------------------------------------------',
    `${name(current.thread)}/${current.thread} is trying to acquire lock:`,
    ` (${current.lock}), at: ${stackLine(trace, current).trim()}`,
    '',
    'but task is already holding lock:',
    ` (${held.lock}), at: ${stackLine(trace, held).trim()}`,
    '',
    'which lock already depends on the new lock.',
    '',
    '',
    'the existing dependency chain (in reverse order) is:',
    '',
  ];
  // Reverse order: the other threads' dependencies, newest first, each
  // under the lock it took while holding the previous one; the new
  // acquisition last (#0).
  const edges: [Take, Take][] = [];
  for (let i = 1; i < others.length; i++) {
    const [a, b] = [others[i - 1], others[i]];
    if (a && b && a.thread === b.thread) edges.push([a, b]);
  }
  edges.reverse().forEach(([a, b], i) => {
    lines.push(
      `-> #${edges.length - i} (${b.lock}):`,
      stackLine(trace, a),
      stackLine(trace, b),
      '',
    );
  });
  lines.push(`-> #0 (${current.lock}):`, stackLine(trace, held), stackLine(trace, current), '');
  lines.push('other info that might help us debug this:', '');
  if (others.length === 2 && others[0]?.lock === current.lock && others[1]?.lock === held.lock) {
    const col = (s: string) => `  ${s}`;
    const right = (s: string) => `${' '.repeat(31)}${s}`;
    lines.push(
      ' Possible unsafe locking scenario:',
      '',
      `       CPU0                    CPU1`,
      `       ----                    ----`,
      col(`lock(${held.lock});`),
      right(`lock(${current.lock});`),
      right(`lock(${held.lock});`),
      col(`lock(${current.lock});`),
      '',
      ' *** DEADLOCK ***',
      '',
      `CPU0 is ${name(current.thread)}, CPU1 is ${name(others[0]?.thread ?? 0)}.`,
    );
  } else {
    const locks = [held.lock, ...others.map((t) => t.lock), current.lock];
    lines.push('Chain exists of:', `  ${[...new Set(locks)].join(' --> ')}`);
  }
  return lines.join('\n');
}

/** One report per circular lock-order violation of the run (none for other kinds). */
export function lockdepReports(trace: TraceData): string[] {
  return trace.violations
    .filter((v) => v.kind === 'lock-order')
    .map((v) => lockdepReport(trace, v))
    .filter((r): r is string => r !== undefined);
}
