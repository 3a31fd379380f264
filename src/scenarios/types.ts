import type { ScenarioInstance } from '../engine';

export interface VariantDef {
  id: string;
  title: string;
  /** What this variant changes, in one or two sentences. */
  description: string;
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
  build(variant: string, params: Record<string, number>): ScenarioInstance;
}

export interface ParamDef {
  name: string;
  description: string;
  default: number;
  min: number;
  max: number;
}
