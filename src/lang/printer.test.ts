/** parse ∘ print is the identity on every built-in (scenario, variant, kernel). */
import { describe, expect, it } from 'vitest';
import { KERNEL_VERSIONS, type ScenarioInstance } from '../engine';
import { SCENARIOS } from '../scenarios/catalog';
import { parseScenario } from './index';
import { printScenario } from './printer';

function builtIns(): { label: string; inst: ScenarioInstance }[] {
  const out: { label: string; inst: ScenarioInstance }[] = [];
  for (const d of SCENARIOS)
    for (const v of d.variants)
      for (const k of d.kernels ?? KERNEL_VERSIONS) {
        if (v.kernels && !v.kernels.includes(k)) continue;
        const params = Object.fromEntries((d.params ?? []).map((p) => [p.name, p.default]));
        out.push({ label: `${d.id}/${v.id}/${k}`, inst: d.build(v.id, params, k) });
      }
  return out;
}

describe('printScenario', () => {
  const all = builtIns();
  it('covers every built-in', () => {
    expect(all.length).toBeGreaterThan(20);
  });
  it.each(all.map((b) => [b.label, b.inst] as const))('%s round-trips', (_label, inst) => {
    const text = printScenario(inst);
    const back = parseScenario(text);
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    expect(back.instance).toStrictEqual(inst);
    // And printing is stable: the text of the parsed instance is the same text.
    expect(printScenario(back.instance)).toBe(text);
  });
});
