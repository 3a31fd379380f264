import type { KernelVersion, ScenarioInstance } from '../engine';

export interface VariantDef {
  id: string;
  title: string;
  /** What this variant changes, in one or two sentences. */
  description: string;
  /** The kernels in which this variant exists; all the scenario's when absent. */
  kernels?: readonly KernelVersion[];
  /** Why it is missing from the other kernels (shown in the picker and in errors). */
  kernelNote?: string;
}

export interface ScenarioDef {
  id: string;
  title: string;
  /** One paragraph: what it shows and which part of locking.rst it illustrates. */
  description: string;
  /** The passage of locking.rst it illustrates. */
  docSection: string;
  variants: VariantDef[];
  /** Integer parameters of a parameterised scenario (`--param n=8`, `params=n:8` in the URL). */
  params?: ParamDef[];
  /** The kernels whose code the scenario models; all of KERNEL_VERSIONS when absent. */
  kernels?: readonly KernelVersion[];
  /** Why it is missing from the other kernels. */
  kernelNote?: string;
  /** Builds a variant following `kernel`'s code and locking.rst. */
  build(variant: string, params: Record<string, number>, kernel: KernelVersion): ScenarioInstance;
}

export interface ParamDef {
  name: string;
  description: string;
  default: number;
  min: number;
  max: number;
}
