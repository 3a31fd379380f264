import type { ScenarioInstance } from './model';
import { Machine } from './machine';
import { ScenarioError } from './errors';

/**
 * A readable way to write a schedule: "run thread t until it reaches label
 * L" (or until it finishes). Scenarios write their canonical schedule as a
 * plan; the engine turns it into thread indices by running it, so the
 * schedule always matches the programs as they are.
 */
export interface PlanStep {
  thread: number;
  /** Run exactly this many steps instead of running to a label or to the end. */
  steps?: number;
  /** What this part of the story is, in the document's words (its table row). */
  text?: string;
  /**
   * Stop before the first op whose label is this name, or this name plus a
   * `#n` suffix (labels made unique by ProgramBuilder.uniq); absent: run
   * until the thread is done.
   */
  until?: string;
}

/** A stretch of the canonical schedule that tells one row of the document's table. */
export interface Chapter {
  /** First step of the stretch. */
  start: number;
  thread: number;
  text: string;
}

export function resolvePlan(
  instance: ScenarioInstance,
  plan: readonly PlanStep[],
): { schedule: number[]; chapters: Chapter[] } {
  const m = new Machine(instance);
  let s = m.initial();
  const out: number[] = [];
  const chapters: Chapter[] = [];
  for (const p of plan) {
    if (p.text !== undefined) chapters.push({ start: out.length, thread: p.thread, text: p.text });
    if (p.steps !== undefined) {
      for (let i = 0; i < p.steps; i++) {
        s = m.step(s, p.thread, out.length).state;
        out.push(p.thread);
      }
      continue;
    }
    const th = m.threads[p.thread];
    if (!th) throw new ScenarioError(`plan names thread ${p.thread}, which does not exist`);
    const stop =
      p.until === undefined
        ? th.ops.length
        : th.def.program.findIndex((o) =>
            [o.label, ...(o.alias ?? [])].some(
              (name) => name === p.until || name?.startsWith(`${p.until}#`),
            ),
          );
    if (stop < 0) throw new ScenarioError(`plan: ${th.def.name} has no label '${p.until}'`);
    let guard = 0;
    while (m.pc(s, p.thread) !== stop) {
      if (m.done(s, p.thread))
        throw new ScenarioError(`plan: ${th.def.name} finished before reaching '${p.until}'`);
      if (++guard > 10_000)
        throw new ScenarioError(`plan: ${th.def.name} never reaches '${p.until}'`);
      s = m.step(s, p.thread, out.length).state;
      out.push(p.thread);
    }
  }
  return { schedule: out, chapters };
}

/** The instance with its canonical schedule and narration resolved from `plan`. */
export function withPlan(instance: ScenarioInstance, plan: readonly PlanStep[]): ScenarioInstance {
  const { schedule, chapters } = resolvePlan(instance, plan);
  return { ...instance, canonical: schedule, chapters };
}
