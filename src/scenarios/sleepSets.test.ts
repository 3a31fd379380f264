import { describe, expect, it } from 'vitest';
import { exploreStateGraph } from '../engine';
import { exploreWithSleepSets } from '../engine/sleepSets';
import { instantiate } from './catalog';

describe('sleep sets on built-in scenarios', () => {
  it.each([
    ['dirty-bit-scaled', 'buggy', { n: 4, k: 3 }],
    ['dirty-bit-scaled', 'fixed', { n: 4, k: 1 }],
    ['dirty-bit-loss', 'buggy', undefined],
    ['aba', 'direct', undefined],
  ] as const)('%s/%s %j: the same final states, and fewer steps', (id, v, params) => {
    const inst = instantiate(id, v, params);
    const z = exploreWithSleepSets(inst);
    const r = exploreStateGraph(inst);
    const want = new Map(r.outcomes.map((o) => [o.key, [...o.violations].sort().join(',')]));
    expect(new Map([...z.outcomes].sort())).toEqual(new Map([...want].sort()));
    expect(z.steps).toBeLessThan(r.steps);
  });
});
