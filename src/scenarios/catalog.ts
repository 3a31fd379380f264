import { KERNEL_VERSIONS, type KernelVersion, type ScenarioInstance } from '../engine';
import { abaScenario } from './aba';
import { dirtyBitLossScenario } from './dirtyBitLoss';
import { dirtyBitScaledScenario } from './dirtyBitScaled';
import { srcuDeadlockScenario } from './srcuDeadlock';
import { notifierRetryScenario } from './notifierRetry';
import { tlbFlushScenario } from './tlbFlush';
import { hotplugOrderScenario } from './hotplugOrder';
import { mnInvalidateScenario } from './mnInvalidate';
import { accessTrackingScenario } from './accessTracking';
import { tdpMmuScenario } from './tdpMmu';
import { dirtyRingScenario } from './dirtyRingReset';
import { dBitLoggingScenario } from './dBitLogging';
import { clearDirtyLogScenario } from './clearDirtyLog';
import { quoteArg } from './quote';
import type { ScenarioDef } from './types';

/** Every built-in scenario, the default (opened by `npm start`) first. */
export const SCENARIOS: readonly ScenarioDef[] = [
  abaScenario,
  dirtyBitLossScenario,
  dirtyBitScaledScenario,
  srcuDeadlockScenario,
  notifierRetryScenario,
  tlbFlushScenario,
  hotplugOrderScenario,
  mnInvalidateScenario,
  accessTrackingScenario,
  tdpMmuScenario,
  dirtyRingScenario,
  dBitLoggingScenario,
  clearDirtyLogScenario,
];

export function findScenario(id: string): ScenarioDef | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

/**
 * Builds a scenario variant; the first variant when none is named, parameter
 * defaults for parameters not given. Throws UnknownScenarioError on unknown
 * ids, unknown parameters and out-of-range values.
 */
export function instantiate(
  id: string,
  variant?: string,
  params: Record<string, string | number> = {},
  kernel: string = DEFAULT_KERNEL,
): ScenarioInstance {
  const def = findScenario(id);
  if (!def)
    throw new UnknownScenarioError(
      `unknown scenario ${quoteArg(id)} (known: ${SCENARIOS.map((s) => s.id).join(', ')})`,
    );
  const v = variant ?? def.variants[0]?.id ?? '';
  if (!def.variants.some((x) => x.id === v))
    throw new UnknownScenarioError(
      `unknown variant ${quoteArg(v)} of ${id} (known: ${def.variants.map((x) => x.id).join(', ')})`,
    );
  const k = parseKernel(kernel);
  const missing = kernelGap(def, v, k);
  if (missing) throw new UnknownScenarioError(missing);
  return { ...def.build(v, resolveParams(def, params), k), kernel: k };
}

/** The model's main version: what `npm start`, the CLI and URLs without `kernel=` use. */
export const DEFAULT_KERNEL: KernelVersion = '6.12';

export function parseKernel(raw: string): KernelVersion {
  const k = KERNEL_VERSIONS.find((v) => v === raw);
  if (!k)
    throw new UnknownScenarioError(
      `unknown kernel version ${quoteArg(raw)} (known: ${KERNEL_VERSIONS.join(', ')})`,
    );
  return k;
}

/** The kernels in which a scenario's variant exists. */
export function kernelsOf(def: ScenarioDef, variant: string): readonly KernelVersion[] {
  const vk = def.variants.find((x) => x.id === variant)?.kernels ?? KERNEL_VERSIONS;
  const sk = def.kernels ?? KERNEL_VERSIONS;
  return KERNEL_VERSIONS.filter((k) => vk.includes(k) && sk.includes(k));
}

/** Why a variant does not exist in `kernel`, or null when it does. */
export function kernelGap(def: ScenarioDef, variant: string, kernel: KernelVersion): string | null {
  if (kernelsOf(def, variant).includes(kernel)) return null;
  const vdef = def.variants.find((x) => x.id === variant);
  const note = vdef?.kernels && !vdef.kernels.includes(kernel) ? vdef.kernelNote : def.kernelNote;
  const label = def.kernels && !def.kernels.includes(kernel) ? def.id : `${def.id} ${variant}`;
  return `${label} is not modelled for ${kernel}${note ? `: ${note}` : ''} (available: ${kernelsOf(def, variant).join(', ')})`;
}

function resolveParams(
  def: ScenarioDef,
  given: Record<string, string | number>,
): Record<string, number> {
  const defs = def.params ?? [];
  const out: Record<string, number> = {};
  for (const key of Object.keys(given))
    if (!defs.some((p) => p.name === key))
      throw new UnknownScenarioError(
        defs.length
          ? `${def.id} has no parameter ${quoteArg(key)} (known: ${defs.map((p) => p.name).join(', ')})`
          : `${def.id} takes no parameters (got ${quoteArg(key)})`,
      );
  for (const p of defs) {
    const raw = given[p.name] ?? p.default;
    const n = typeof raw === 'number' ? raw : /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < p.min || n > p.max)
      throw new UnknownScenarioError(
        `parameter ${p.name} of ${def.id} must be an integer from ${p.min} to ${p.max} (got ${quoteArg(String(raw))})`,
      );
    out[p.name] = n;
  }
  return out;
}

export class UnknownScenarioError extends Error {
  override name = 'UnknownScenarioError';
}
