import type { ScenarioInstance } from '../engine';
import { abaScenario } from './aba';
import { dirtyBitLossScenario } from './dirtyBitLoss';
import type { ScenarioDef } from './types';

/** Every built-in scenario, the default (opened by `npm start`) first. */
export const SCENARIOS: readonly ScenarioDef[] = [abaScenario, dirtyBitLossScenario];

export function findScenario(id: string): ScenarioDef | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

/** Builds a scenario variant; the first variant when none is named. Throws on unknown ids. */
export function instantiate(id: string, variant?: string): ScenarioInstance {
  const def = findScenario(id);
  if (!def)
    throw new UnknownScenarioError(
      `unknown scenario '${id}' (known: ${SCENARIOS.map((s) => s.id).join(', ')})`,
    );
  const v = variant ?? def.variants[0]?.id ?? '';
  if (!def.variants.some((x) => x.id === v))
    throw new UnknownScenarioError(
      `unknown variant '${v}' of ${id} (known: ${def.variants.map((x) => x.id).join(', ')})`,
    );
  return def.build(v);
}

export class UnknownScenarioError extends Error {
  override name = 'UnknownScenarioError';
}
