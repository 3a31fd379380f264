/**
 * Engine benchmark (figures, not pass/fail):
 *
 *   npm run bench [-- --json] [-- --max-seconds 60]
 *
 * Explores every built-in scenario and the dirty-bit-scaled family
 * (n = 1..10, k = 1 and 3, both variants), each with the partial-order
 * reduction (por+hash) and without (none), as far as each is expected to
 * finish in time: a family stops growing n once a case took over a sixth of
 * the limit (each step of n costs up to six times more) or ran out of budget.
 */
import { exploreStateGraph, type ExploreResult } from '../src/engine';
import { SCENARIOS, instantiate } from '../src/scenarios/catalog';

interface Row {
  case: string;
  reduction: string;
  states: number;
  executions: number;
  outcomes: number;
  violating: number;
  violatingStates: number;
  complete: boolean;
  ms: number;
  peakMB: number;
  stepsPerSec: number;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const limitIx = args.indexOf('--max-seconds');
const maxSeconds = limitIx >= 0 ? Number(args[limitIx + 1]) : 60;

function measure(name: string, build: () => ReturnType<typeof instantiate>, por: boolean): Row {
  const inst = build();
  const runs: { ms: number; r: ExploreResult; peak: number }[] = [];
  for (let i = 0; i < 5; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    const t0 = performance.now();
    const r = exploreStateGraph(inst, {
      por,
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      },
    });
    const ms = performance.now() - t0;
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    runs.push({ ms, r, peak });
    if (ms > 1000) break; // median of 5 only for short cases
  }
  runs.sort((a, b) => a.ms - b.ms);
  const mid = runs[Math.floor(runs.length / 2)] as (typeof runs)[number];
  return {
    case: name,
    reduction: mid.r.reduction,
    states: mid.r.states,
    executions: mid.r.executions ?? 0,
    outcomes: mid.r.distinctOutcomes,
    violating: mid.r.violatingExecutions ?? 0,
    violatingStates: mid.r.outcomes.filter((o) => o.violations.length > 0).length,
    complete: mid.r.complete,
    ms: Math.round(mid.ms),
    peakMB: Math.round(Math.max(...runs.map((x) => x.peak)) / 1e6),
    stepsPerSec: Math.round(mid.r.steps / (mid.ms / 1000)),
  };
}

const rows: Row[] = [];
const log = (r: Row) => {
  rows.push(r);
  if (!json) process.stderr.write(`${r.case} ${r.reduction}: ${r.ms} ms\n`);
};

for (const s of SCENARIOS.filter((x) => !x.params))
  for (const v of s.variants)
    for (const por of [true, false])
      log(measure(`${s.id}/${v.id}`, () => instantiate(s.id, v.id), por));

for (const k of [1, 3])
  for (const v of ['buggy', 'fixed'])
    for (const por of [true, false])
      for (let n = 1; n <= 10; n++) {
        const row = measure(
          `dirty-bit-scaled/${v} n=${n} k=${k}`,
          () => instantiate('dirty-bit-scaled', v, { n, k }),
          por,
        );
        log(row);
        if (row.ms > (maxSeconds * 1000) / 6 || !row.complete) break;
      }

if (json) console.log(JSON.stringify(rows, null, 2));
else {
  const fmt = (x: number) => (x >= 1e7 ? x.toExponential(2) : x.toLocaleString('en-US'));
  console.log(
    '| case | reduction | states | executions | outcomes | violating executions | violating final states | complete | ms | peak MB | steps/s |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.case} | ${r.reduction} | ${fmt(r.states)} | ${fmt(r.executions)} | ${r.outcomes} | ${fmt(r.violating)} | ${fmt(r.violatingStates)} | ${r.complete ? 'yes' : 'no'} | ${fmt(r.ms)} | ${r.peakMB} | ${fmt(r.stepsPerSec)} |`,
    );
}
