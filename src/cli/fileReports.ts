/**
 * What `run FILE`, `explore FILE` and `show FILE` print, as text or JSON,
 * from a parsed scenario file and the engine's results. files.ts reads and
 * checks the options; an engine error raised here (a schedule that runs a
 * blocked thread) goes back to its one-line error handler.
 */
import { formatSchedule, runSchedule, Machine, outcomeMap, type ScenarioInstance } from '../engine';
import { formatHerd, showValue, evalProp, type exploreLitmus, type LitmusTest } from '../lang';
import { violationReport } from '../scenarios/report';
import { mapSummary } from '../scenarios/mapReport';
import { formatViolation } from './format';
import { formatMap } from './mapFormat';

/** `explore FILE`'s output: herd7's text, or JSON with the states' values and witnesses. */
export function litmusReport(
  test: LitmusTest,
  instance: ScenarioInstance,
  { result, states, budget: bound, table }: ReturnType<typeof exploreLitmus>,
  json: boolean,
  reduction: string,
): string {
  // With --map: every final state grouped (the map is over the search's own table).
  const map = table && mapSummary(outcomeMap(new Machine(instance), table));
  if (!json)
    return map
      ? `${formatHerd(test, result, bound)}\n\n${formatMap(map, reduction)}`
      : formatHerd(test, result, bound);
  return JSON.stringify(
    {
      ...result,
      states: result.states.map((s) => ({
        values: Object.fromEntries(
          result.columns.map((c, i) => [c, jsonValue(test, s.values[i] ?? 0)]),
        ),
        holds: s.holds,
        witness: formatSchedule(s.witness),
      })),
      searched: states,
      budget: bound,
      semantics: 'sequential consistency',
      ...(map && { map }),
    },
    null,
    2,
  );
}

/** `run FILE`'s output: the steps, the violations, the final values and the condition. */
export function runFile(
  name: string,
  test: LitmusTest,
  instance: ScenarioInstance,
  steps: readonly number[],
  json: boolean,
): string {
  const r = runSchedule(instance, steps, { complete: true });
  const m = new Machine(instance);
  const s = r.states[r.states.length - 1] ?? m.initial();
  const base = instance.machine.cells?.length ? m.layout.index('cell', 0) : 0;
  const cell = (i: number) => s[base + i] ?? 0;
  const final = Object.fromEntries(
    test.columns.map((c) => [c.label, showValue(test, cell(c.cell))]),
  );
  const holds = test.condition
    ? evalProp(
        test.condition,
        (l) => cell(test.cellOf[l.thread === undefined ? l.name : `${l.thread}:${l.name}`] ?? -1),
        test,
      )
    : null;
  const violations = r.violations.map((v) => violationReport(v, instance, r.events));
  if (json)
    return JSON.stringify(
      {
        scenario: instance.scenario,
        variant: instance.variant,
        schedule: formatSchedule(r.schedule),
        steps: r.events.length,
        violations,
        final,
        condition: holds,
      },
      null,
      2,
    );
  const lines = [
    `${name}: ${test.name}, ${r.events.length} steps, schedule ${formatSchedule(r.schedule)}`,
  ];
  for (const ev of r.events) {
    const op = instance.threads[ev.thread]?.program[ev.pc];
    lines.push(
      `  ${String(ev.step).padStart(3)} P${ev.thread}: ${op?.text ?? '?'}${ev.outcome ? ` → ${ev.outcome}` : ''}`,
    );
  }
  lines.push(...(violations.length ? violations.map(formatViolation) : ['no violation']));
  lines.push(
    `final: ${
      Object.entries(final)
        .map(([k, v]) => `${k}=${v};`)
        .join(' ') || '(no locations)'
    }`,
  );
  if (holds !== null)
    lines.push(
      `condition ${test.conditionText ?? ''}: ${holds ? 'satisfied' : 'not satisfied'} by this run (sequential consistency)`,
    );
  return lines.join('\n');
}

/** The compiled threads, one op per line, as `show FILE` prints them. */
export function listing(inst: ScenarioInstance): string {
  const out = [`${inst.scenario}: ${inst.threads.length} threads`];
  for (const t of inst.threads) {
    out.push(`${t.name}:`);
    t.program.forEach((op, pc) =>
      out.push(`  ${String(pc).padStart(3)} ${op.k.padEnd(16)} ${op.text}`),
    );
  }
  return out.join('\n');
}

/** A number, or the variable's name when the value is its address. */
function jsonValue(test: LitmusTest, v: number): number | string {
  const shown = showValue(test, v);
  return shown === String(v) ? v : shown;
}
