/** Traces of every built-in scenario variant (canonical schedule, completed), for the export tests. */
import type { TraceData } from '../engine';
import { listScenarios, traceReport } from '../scenarios/report';

let cache: { id: string; trace: TraceData }[] | undefined;

export function everyVariant(): { id: string; trace: TraceData }[] {
  cache ??= listScenarios().flatMap((s) =>
    s.variants.map((v) => ({
      id: `${s.id}/${v.id}`,
      trace: traceReport(s.id, v.id, undefined, { complete: true }),
    })),
  );
  return cache;
}

export function canonical(scenario: string, variant?: string): TraceData {
  return traceReport(scenario, variant, undefined, { complete: true });
}
