import {
  withPlan,
  type CheckKind,
  type KernelVersion,
  type MachineDef,
  type PlanStep,
  type ThreadDef,
} from '../engine';
import type { ScenarioDef } from './types';

/** What a built-in writes for one variant and kernel; builtIn fills in the rest. */
export interface Recipe {
  machine: MachineDef;
  threads: ThreadDef[];
  checks: CheckKind[];
  /** The document's story, row by row; run on the engine, it gives the canonical schedule. */
  plan: readonly PlanStep[];
}

/**
 * A built-in's `build` from its recipe: the instance is named, and its
 * canonical schedule and chapters are resolved from the plan by running it
 * (withPlan), so the story always follows the programs as they are.
 *
 * @example
 * const build = builtIn<'buggy' | 'fixed'>('my-race', (v, k) => ({
 *   machine, threads: [writer(v, k), zapper(k)], checks: ['lost-dirty-bit'], plan: [{ thread: 0 }],
 * }));
 */
export function builtIn<V extends string>(
  scenario: string,
  recipe: (variant: V, kernel: KernelVersion, params: Record<string, number>) => Recipe,
): ScenarioDef['build'] {
  return (variant, params, kernel) => {
    // instantiate() has checked that the variant is one of the scenario's.
    const { machine, threads, checks, plan } = recipe(variant as V, kernel, params);
    const parts = { scenario, variant, machine, threads, checks, canonical: [], chapters: [] };
    return withPlan(parts, plan);
  };
}
