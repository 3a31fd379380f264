import { describe, expect, it } from 'vitest';
import { fakeLocation, readyStore as ready, readyStore } from './testing';
import { createAppStore } from './index';
import { REPLACE_UNSAVED, persistTextUnsaved } from './textScenarioSlice';
import { hashOf, syncUrl } from './urlSync';
import { createInThreadClient, createInThreadExploreRunner } from '../worker/inThreadClient';

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

describe('unsaved scenario text', () => {
  async function withText(answer: boolean) {
    const asked: string[] = [];
    const client = createInThreadClient();
    const store = createAppStore({
      client,
      explorer: createInThreadExploreRunner(),
      confirm: (m) => {
        asked.push(m);
        return answer;
      },
    });
    store.setState({ scenarios: await client.listScenarios() });
    await store.getState().open({ scenario: 'custom', text: SB, from: 'user' });
    store.getState().setTextUnsaved(true);
    return { store, asked };
  }

  it('the picker asks first; dismissing keeps the text scenario', async () => {
    const { store, asked } = await withText(false);
    await store.getState().selectScenario('aba');
    expect(asked).toEqual([REPLACE_UNSAVED]);
    expect(store.getState().text).toBe(SB);
  });

  it('the picker asks first; accepting shows the built-in', async () => {
    const { store, asked } = await withText(true);
    await store.getState().selectScenario('aba');
    expect(asked).toHaveLength(1);
    expect(store.getState().text).toBeNull();
    expect(store.getState().scenario).toBe('aba');
  });

  it('saved text (file or link) is replaced without a question', async () => {
    const { store, asked } = await withText(false);
    store.getState().setTextUnsaved(false);
    await store.getState().selectScenario('aba');
    expect(asked).toEqual([]);
    expect(store.getState().scenario).toBe('aba');
  });

  it('a pasted built-in link asks; dismissing puts the text link back in the address bar', async () => {
    const { store, asked } = await withText(false);
    const mine = hashOf(store) ?? '';
    expect(mine).toContain('text=');
    const loc = fakeLocation(mine);
    syncUrl(store, loc);
    loc.edit('#/aba?variant=buggy');
    expect(asked).toEqual([REPLACE_UNSAVED]);
    expect(loc.hash).toBe(mine);
    expect(store.getState().text).toBe(SB);
  });

  it('the flag survives a reload through storage', async () => {
    const { store } = await withText(false);
    const kept = new Map<string, string>();
    const storage = {
      getItem: (k: string) => kept.get(k) ?? null,
      setItem: (k: string, v: string) => void kept.set(k, v),
    };
    persistTextUnsaved(store, storage);
    store.getState().setTextUnsaved(false);
    store.getState().setTextUnsaved(true);
    const again = await readyStore();
    persistTextUnsaved(again, storage);
    expect(again.getState().textUnsaved).toBe(true);
  });
});
