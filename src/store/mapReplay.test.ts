import { describe, expect, it } from 'vitest';
import { readyStore } from './testing';

describe('outcome map replay', () => {
  it('replays each final state of the map from its witness, landing on its violation', async () => {
    const store = await readyStore();
    await store.getState().open({ scenario: 'dirty-bit-loss', variant: 'buggy' });
    await store.getState().explore();
    const ex = store.getState().exploration;
    if (ex.status !== 'done') throw new Error(`exploration ${ex.status}`);
    const view = ex.report.mapView;
    expect(view?.count).toBe(ex.report.distinctOutcomes);
    if (!view) return;
    for (let p = 0; p < view.count; p++) {
      await store.getState().replayOutcome(p);
      const s = store.getState();
      const kinds = s.trace?.violations.map((v) => v.kind) ?? [];
      if (view.masks[p]) {
        // The map's first kind is the violation, and the cursor sits just after it.
        expect(kinds).toEqual(['lost-dirty-bit']);
        expect(s.cursor).toBe((s.trace?.violations[0]?.step ?? -2) + 1);
      } else {
        expect(kinds).toEqual([]);
        expect(s.cursor).toBe(0);
      }
    }
  });

  it('a position off the map is a message, not an exception', async () => {
    const store = await readyStore();
    await store.getState().open({ scenario: 'dirty-bit-loss', variant: 'buggy' });
    await store.getState().explore();
    await store.getState().replayOutcome(10_000);
    expect(store.getState().message).toMatch(
      /^Could not replay that final state: no final state 10000/,
    );
  });
});
