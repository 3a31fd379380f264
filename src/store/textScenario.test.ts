import { describe, expect, it } from 'vitest';
import { readyStore as ready } from './testing';

// Store-buffering shape: both reads can see 0 only if a write is not yet visible.
const SB = `C sb-edit
{}
P0(int *x, int *y) {
  WRITE_ONCE(*x, 1);
  int r0 = READ_ONCE(*y);
}
P1(int *x, int *y) {
  WRITE_ONCE(*y, 1);
  int r1 = READ_ONCE(*x);
}
exists (0:r0=0 /\\ 1:r1=0)
`;

describe('store with scenario text (the editor)', () => {
  it('runs the text, keeps it across a fork, and explores it', async () => {
    const store = await ready();
    await store.getState().open({ scenario: 'custom', text: SB, from: 'user' });
    const s = store.getState();
    expect(s.status).toBe('ready');
    expect(s.text).toBe(SB);
    expect(s.trace?.threads.map((t) => t.name)).toHaveLength(2);
    // Forking at step 0 onto thread 1 reloads the same text, not a built-in.
    await store.getState().choose(1);
    expect(store.getState().text).toBe(SB);
    expect(store.getState().trace?.steps[0]?.thread).toBe(1);
    await store.getState().explore();
    const x = store.getState().exploration;
    expect(x.status).toBe('done');
    if (x.status === 'done') expect(x.report.distinctOutcomes).toBeGreaterThan(1);
  });

  it('names the line and column of a parse error, and a built-in clears the text', async () => {
    const store = await ready();
    await store.getState().open({ scenario: 'custom', text: 'C t\n{}\nP0( {', from: 'user' });
    expect(store.getState().status).toBe('error');
    expect(store.getState().message).toMatch(/line 3:\d+/i);
    await store.getState().open({ scenario: 'custom', text: SB, from: 'user' });
    await store.getState().selectScenario('aba');
    expect(store.getState().text).toBeNull();
    expect(store.getState().scenario).toBe('aba');
  });
});
