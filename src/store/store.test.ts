import { describe, expect, it } from 'vitest';
import { fakeLocation, readyStore as ready } from './testing';
import { syncUrl } from './urlSync';

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('store', () => {
  it('opens the canonical ABA run at step 0 and steps through it', async () => {
    const store = await ready();
    await store.getState().open({ scenario: 'aba' });
    const s = store.getState();
    expect(s.status).toBe('ready');
    expect(s.variant).toBe('buggy');
    expect(s.cursor).toBe(0);
    s.toEnd();
    expect(store.getState().cursor).toBe(s.trace?.steps.length);
    store.getState().stepForward();
    expect(store.getState().cursor).toBe(s.trace?.steps.length);
    store.getState().toStart();
    store.getState().stepBack();
    expect(store.getState().cursor).toBe(0);
  });

  it('forks the schedule when the user picks another CPU, and keeps it when they pick the same', async () => {
    const store = await ready();
    await store.getState().open({ scenario: 'dirty-bit-loss', variant: 'buggy' });
    const canonical = store.getState().trace?.schedule;
    await store.getState().choose(0); // canonical step 0 is kswapd: no fork
    expect(store.getState().cursor).toBe(1);
    expect(store.getState().schedule).toBe('canonical');
    await store.getState().choose(1); // the vCPU instead of kswapd's second step
    const s = store.getState();
    expect(s.schedule).toBe('0.1');
    expect(s.cursor).toBe(2);
    expect(s.trace?.schedule).not.toBe(canonical);
    await s.runToEnd();
    expect(store.getState().trace?.final).toBe(true);
    expect(store.getState().cursor).toBe(store.getState().trace?.steps.length);
  });

  it('ignores a choice of a thread that cannot run', async () => {
    const store = await ready();
    await store.getState().open({ scenario: 'aba', schedule: '1', step: 1 }); // kswapd takes mmu_lock
    const before = store.getState().trace;
    await store.getState().choose(3); // QEMU needs mmu_lock too
    expect(store.getState().trace).toBe(before);
  });
});

describe('URL sync', () => {
  it('opens the kernel the link names, and switching it rewrites the link', async () => {
    const store = await ready();
    const loc = fakeLocation(
      '#/access-tracking?variant=aging-window&kernel=7.2&schedule=canonical&step=end',
    );
    syncUrl(store, loc);
    await settle();
    await settle();
    expect(store.getState().kernel).toBe('7.2');
    expect(store.getState().trace?.violations).toEqual([]);
    await store.getState().selectKernel('6.8');
    await settle();
    expect(store.getState().trace?.violations.map((v) => v.kind)).toEqual(['lost-dirty-bit']);
    expect(loc.hash).toBe(
      `#/access-tracking?variant=aging-window&kernel=6.8&schedule=canonical&step=${store.getState().trace?.steps.length}`,
    );
  });

  it('keeps the kernel across variants that have it, and says why when one does not', async () => {
    const store = await ready();
    await store
      .getState()
      .open({ scenario: 'hotplug-order', variant: 'usage-lock', kernel: '7.2' });
    expect(store.getState().kernel).toBe('7.2');
    await store.getState().selectVariant('inverted');
    expect(store.getState().kernel).toBe('7.2');
    await store.getState().selectKernel('6.8');
    await store.getState().selectVariant('usage-lock');
    expect(store.getState().kernel).toBe('6.12');
    expect(store.getState().message).toMatch(/Not modelled for 6\.8: kvm_usage_lock was split out/);
  });

  it('opens the link, then writes the cursor back to the hash', async () => {
    const store = await ready();
    const loc = fakeLocation('#/aba?variant=pinned&schedule=canonical&step=5');
    syncUrl(store, loc);
    await settle();
    await settle();
    expect(store.getState().variant).toBe('pinned');
    expect(store.getState().cursor).toBe(5);
    store.getState().stepForward();
    expect(loc.hash).toBe('#/aba?variant=pinned&kernel=6.12&schedule=canonical&step=6');
  });

  it('moves only the cursor when the user edits the step', async () => {
    const store = await ready();
    const loc = fakeLocation('#/aba?variant=buggy&schedule=canonical&step=0');
    syncUrl(store, loc);
    await settle();
    await settle();
    const trace = store.getState().trace;
    loc.edit('#/aba?variant=buggy&schedule=canonical&step=42');
    expect(store.getState().cursor).toBe(42);
    expect(store.getState().trace).toBe(trace);
  });

  it.each([
    ['#/nope', /no scenario 'nope'/],
    ['#/aba?variant=nope', /no variant 'nope'/],
    ['#/aba?schedule=1.3', /QEMU cannot run: mmu_lock/],
    ['#/aba?step=100000', /only 70 steps/],
    ['#/aba?schedule=<script>', /schedule in the link is malformed/],
  ])('%s shows a message and falls back to the default scenario', async (hash, message) => {
    const store = await ready();
    syncUrl(store, fakeLocation(hash));
    for (let i = 0; i < 5; i++) await settle();
    const s = store.getState();
    expect(s.message).toMatch(message);
    expect(s.message).toMatch(/Showing the default scenario instead/);
    expect([s.scenario, s.variant, s.schedule, s.status]).toEqual([
      'aba',
      'buggy',
      'canonical',
      'ready',
    ]);
  });
});

describe('exploration', () => {
  it('explores the current scenario and replays a counterexample into the trace', async () => {
    const store = await ready();
    await store.getState().open({ scenario: 'dirty-bit-loss', variant: 'buggy' });
    await store.getState().explore();
    const ex = store.getState().exploration;
    expect(ex.status).toBe('done');
    if (ex.status !== 'done') return;
    expect(ex.report.violationsByKind).toEqual({ 'lost-dirty-bit': expect.any(Number) });
    const witness = ex.report.counterexample?.schedule ?? '';
    await store.getState().replay(witness);
    const s = store.getState();
    expect(s.schedule).toBe(witness);
    expect(s.cursor).toBe(0);
    expect(s.trace?.violations.map((v) => v.kind)).toEqual(['lost-dirty-bit']);
    // The panel's Replay lands where the violation holds.
    const at = ex.report.counterexample?.violationStep ?? 0;
    expect(at).toBeGreaterThan(0);
    await store.getState().replay(witness, at);
    expect(store.getState().cursor).toBe(at);
    expect(store.getState().trace?.violations[0]?.step).toBe(at - 1);
  });
});
