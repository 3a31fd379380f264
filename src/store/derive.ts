import type { StepEvent, TraceData } from '../worker/protocol';

/**
 * Views of a trace at a cursor, derived from recorded data only: memory is
 * the initial image with every recorded write of the first `cursor` steps
 * applied. Nothing here runs an op.
 */

const CHECKPOINT = 256;
const cache = new WeakMap<TraceData, number[][]>();

/** Memory after `cursor` steps. Checkpoints every 256 steps keep long traces fast. */
export function memoryAt(trace: TraceData, cursor: number): number[] {
  let points = cache.get(trace);
  if (!points) {
    points = [trace.initial.slice()];
    cache.set(trace, points);
  }
  const k = Math.min(Math.floor(cursor / CHECKPOINT), Math.floor(trace.steps.length / CHECKPOINT));
  while (points.length <= k) {
    const i = points.length;
    const mem = (points[i - 1] as number[]).slice();
    applySteps(mem, trace.steps, (i - 1) * CHECKPOINT, i * CHECKPOINT);
    points.push(mem);
  }
  const mem = (points[k] as number[]).slice();
  applySteps(mem, trace.steps, k * CHECKPOINT, cursor);
  return mem;
}

function applySteps(mem: number[], steps: readonly StepEvent[], from: number, to: number): void {
  for (let i = from; i < to && i < steps.length; i++)
    for (const a of steps[i]?.accesses ?? []) if (a.kind !== 'read') mem[a.loc] = a.value;
}

/** Flat memory indices written by the step just before the cursor (highlighted in the inspector). */
export function changedAt(trace: TraceData, cursor: number): Set<number> {
  const ev = trace.steps[cursor - 1];
  return new Set((ev?.accesses ?? []).filter((a) => a.kind !== 'read').map((a) => a.loc));
}

/** Registers of thread t after `cursor` steps. */
export function registersAt(trace: TraceData, t: number, cursor: number): Record<string, number> {
  const regs: Record<string, number> = {};
  for (const r of trace.threads[t]?.regs ?? []) regs[r] = 0;
  for (let i = 0; i < cursor; i++) {
    const ev = trace.steps[i];
    if (ev?.thread === t) for (const w of ev.regs) regs[w.reg] = w.value;
  }
  return regs;
}

/** The narration chapter covering the next step (or the last one, at the end). */
export function chapterAt(trace: TraceData, cursor: number) {
  let found = null;
  for (const c of trace.chapters) if (c.start <= Math.max(0, cursor - 1)) found = c;
  return cursor === 0 ? (trace.chapters[0] ?? null) : found;
}

/** The flat memory index of `array[index]`, or -1. */
export function locIndex(trace: TraceData, array: string, index = 0): number {
  return trace.locations.findIndex((l) => l.array === array && l.index === index);
}
