import {
  exploreStateGraph,
  type ExploreOptions,
  type OutcomeTable,
  type ScenarioInstance,
} from '../engine';
import type { LitmusTest } from './compiler';
import { litmusResult, type LitmusResult } from './outcomes';

/** Default bound on distinct states: a litmus test that explodes stops here, named. */
export const LITMUS_BUDGET = 200_000;

/**
 * Explores every SC interleaving (with partial-order reduction, which keeps
 * every final state) and evaluates the test's condition on each final state.
 */
export function exploreLitmus(
  test: LitmusTest,
  instance: ScenarioInstance,
  options: ExploreOptions = {},
): { result: LitmusResult; budget: number; states: number; table?: OutcomeTable } {
  const budget = options.budget ?? LITMUS_BUDGET;
  const explored = exploreStateGraph(instance, { ...options, budget });
  return {
    result: litmusResult(test, instance, explored),
    budget,
    states: explored.states,
    // With `keepOutcomes`: every final state, for the outcome map.
    ...(explored.outcomeTable && { table: explored.outcomeTable }),
  };
}
