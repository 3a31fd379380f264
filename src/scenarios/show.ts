/**
 * `show`: an instance as data — each thread's ops with their pseudo-C line,
 * the kernel function and file they stand for. Shared by the CLI's `show`
 * and the fidelity test, which looks each function up in the kernel tree.
 */
import type { KernelRef, KernelVersion } from '../engine';
import { DEFAULT_KERNEL, findScenario, instantiate } from './catalog';

export interface ShownOp extends KernelRef {
  /** 0-based index of the op in its thread's program. */
  index: number;
  text: string;
  label?: string;
}

export interface ShowReport {
  scenario: string;
  variant: string;
  kernel: KernelVersion;
  title: string;
  threads: { name: string; role: string; ops: ShownOp[] }[];
}

export function showReport(
  scenario: string,
  variant: string | undefined,
  params: Record<string, string | number> = {},
  kernel: string = DEFAULT_KERNEL,
): ShowReport {
  const inst = instantiate(scenario, variant, params, kernel);
  return {
    scenario: inst.scenario,
    variant: inst.variant,
    kernel: inst.kernel ?? DEFAULT_KERNEL,
    title: findScenario(scenario)?.title ?? scenario,
    threads: inst.threads.map((t) => ({
      name: t.name,
      role: t.role,
      ops: t.program.map((op, index) => {
        const shown: ShownOp = { index, text: op.text, fn: op.fn, file: op.file };
        if (op.origin !== undefined) shown.origin = op.origin;
        if (op.label !== undefined) shown.label = op.label;
        return shown;
      }),
    })),
  };
}
