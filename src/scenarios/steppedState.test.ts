import { describe, expect, it } from 'vitest';
import { checkSteppedWalks } from '../engine/steppedStateCheck';
import { prng } from '../engine/testing';
import { SCENARIOS, instantiate } from './catalog';

// Every built-in's ops (kernel helpers, hardware, dirty rings, SRCU) write through the
// write log: random walks with undo, checked against copied states at every step.
const BUILT_INS = SCENARIOS.flatMap((s) =>
  s.variants.map((v) => ({
    name: `${s.id}/${v.id}`,
    inst: () => instantiate(s.id, v.id, s.params ? { n: 3, k: 2 } : {}),
  })),
);

describe('the stepped state (undo log, incremental hash) on every built-in', () => {
  it.each(BUILT_INS)('$name (seed 0x5e9)', ({ inst }) => {
    expect(checkSteppedWalks(inst(), prng(0x5e9), 10)).toBeNull();
  });
});
