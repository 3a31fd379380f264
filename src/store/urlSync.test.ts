import { describe, expect, it } from 'vitest';
import { fakeLocation, readyStore as ready } from './testing';
import { syncUrl } from './urlSync';

const settle = async () => {
  for (let i = 0; i < 6; i++) await new Promise((r) => setTimeout(r, 0));
};

describe('URL sync', () => {
  // window.location.hash is '' both for `http://localhost:5173/` and for `.../#`.
  it('opens the default scenario at step 0 from an empty hash, and writes its link', async () => {
    const store = await ready();
    const loc = fakeLocation('');
    syncUrl(store, loc);
    await settle();
    const s = store.getState();
    expect([s.status, s.scenario, s.variant, s.cursor, s.message]).toEqual([
      'ready',
      'aba',
      'buggy',
      0,
      null,
    ]);
    expect(loc.hash).toBe('#/aba?variant=buggy&kernel=6.12&schedule=canonical&step=0');
  });

  it("a broken link's message goes when a good link loads", async () => {
    const store = await ready();
    const loc = fakeLocation('#/aba?variant=<img src=x>');
    syncUrl(store, loc);
    await settle();
    expect(store.getState().message).toMatch(
      /^The link names no valid variant: .*\. Showing the default scenario instead\.$/,
    );
    loc.edit('#/dirty-bit-loss?variant=buggy&schedule=canonical&step=5');
    await settle();
    const s = store.getState();
    expect([s.scenario, s.cursor, s.message]).toEqual(['dirty-bit-loss', 5, null]);
  });

  it('an engine error in a link reads as its own sentence before the fallback', async () => {
    const store = await ready();
    syncUrl(store, fakeLocation('#/aba?schedule=1.3'));
    await settle();
    expect(store.getState().message).toBe(
      'Step 2: QEMU cannot run: mmu_lock (write) is held by kswapd. Showing the default scenario instead.',
    );
  });
});
