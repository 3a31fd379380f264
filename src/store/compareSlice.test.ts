import { describe, expect, it } from 'vitest';
import { fakeLocation, readyStore } from './testing';
import { fullHashOf, syncUrl } from './urlSync';
import { cursorsAt } from '../scenarios/compareLines';

const settle = async () => {
  for (let i = 0; i < 12; i++) await new Promise((r) => setTimeout(r, 0));
};

describe('comparison in the store', () => {
  it('opens from a link at its row, moves the main cursor to side A, and writes the link back', async () => {
    const store = await readyStore();
    const loc = fakeLocation('#/aba?variant=buggy&kernel=6.12&compare=pinned@6.12&row=12');
    syncUrl(store, loc);
    await settle();
    const s = store.getState();
    const c = s.comparison;
    expect(c.status).toBe('ready');
    if (c.status !== 'ready') return;
    expect(c.line).toBe(12);
    expect(c.result.b.variant).toBe('pinned');
    expect(s.cursor).toBe(cursorsAt(c.result.lines, 12).a);
    expect(loc.hash).toContain('&compare=pinned@6.12&row=12');
    s.setCompareLine(c.result.lines.length + 50);
    expect(store.getState().comparison).toMatchObject({ line: c.result.lines.length });
    expect(store.getState().cursor).toBe(store.getState().trace?.steps.length);
  });

  it('recomputes against the same B when A changes kernel, and closes cleanly', async () => {
    const store = await readyStore();
    await store.getState().open({ scenario: 'aba', variant: 'buggy' });
    await store.getState().compareWith('pinned');
    await store.getState().selectKernel('7.2');
    await settle();
    const c = store.getState().comparison;
    expect(c.status).toBe('ready');
    if (c.status === 'ready')
      expect([c.result.a.kernel, c.result.b.kernel]).toEqual(['7.2', '7.2']);
    store.getState().closeCompare();
    expect(store.getState().comparison.status).toBe('off');
  });

  it('says why in the panel when B is A itself, or a kernel B does not exist in', async () => {
    const store = await readyStore();
    await store.getState().open({ scenario: 'hotplug-order', variant: 'inverted', kernel: '6.8' });
    await store.getState().compareWith('inverted');
    expect(store.getState().comparison).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/two different builds/),
    });
    await store.getState().compareWith('usage-lock');
    expect(store.getState().comparison).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/not modelled for 6.8/),
    });
  });

  it('a link with a malformed compare= falls back with a message naming it', async () => {
    const store = await readyStore();
    syncUrl(store, fakeLocation('#/aba?variant=buggy&compare=%3Cb%3E'));
    await settle();
    expect(store.getState().message).toMatch(
      /The comparison in the link is malformed: compare='<b>'/,
    );
    expect(store.getState().comparison.status).toBe('off');
  });
});

describe('comparison links name B in full', () => {
  it('compare=@7.2 is written back as the variant on 7.2', async () => {
    const store = await readyStore();
    const loc = fakeLocation('#/aba?variant=buggy&kernel=6.12&compare=@7.2');
    syncUrl(store, loc);
    await settle();
    expect(store.getState().comparison).toMatchObject({ status: 'ready', other: 'buggy@7.2' });
    expect(loc.hash).toMatch(/&compare=buggy@7\.2&row=0$/);
  });
});

describe('comparison of scenario text across kernels', () => {
  const AGE = `C age\n{ @kvm(1, 1); }\nP0() {\n  @thread("vCPU0", "guest write", 0);\n  kvm_page_fault(0, 1, 0);\n}\nP1() {\n  kvm_age_gfn(0);\n}\nexists (true)\n`;

  it('compares the text with itself on 7.2, keeps compare=@7.2 in the link, and refuses a variant', async () => {
    const store = await readyStore();
    const loc = fakeLocation('#/aba');
    syncUrl(store, loc);
    await settle();
    await store.getState().open({ scenario: 'custom', text: AGE, from: 'user' });
    await store.getState().compareWith('@7.2');
    await settle();
    const c = store.getState().comparison;
    expect(c).toMatchObject({ status: 'ready', other: '@7.2' });
    if (c.status !== 'ready') return;
    expect([c.result.a.kernel, c.result.b.kernel]).toEqual(['6.12', '7.2']);
    expect(c.result.divergence?.detail).toMatch(/rcu_read_lock/);
    // The text opened with no schedule; the page now runs A's whole run, which its views follow.
    expect(store.getState().trace?.steps.length).toBe(c.result.a.steps.length);
    expect(store.getState().schedule).toBe(c.result.a.schedule);
    expect(loc.hash).toMatch(/^#\/custom\?text=.*&compare=@7\.2&row=0$/);
    await store.getState().compareWith('pinned@7.2');
    expect(store.getState().comparison).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/Scenario text has no variants/),
    });
  });

  it('reopens from a text link at its row', async () => {
    const store = await readyStore();
    await store.getState().open({ scenario: 'custom', text: AGE, from: 'user' });
    await store.getState().compareWith('@7.2');
    await settle();
    store.getState().setCompareLine(17);
    const link = fullHashOf(store);
    expect(link).toMatch(/&compare=@7\.2&row=17$/);
    const other = await readyStore();
    syncUrl(other, fakeLocation(link ?? ''));
    await settle();
    expect(other.getState().text).toBe(AGE);
    expect(other.getState().comparison).toMatchObject({ status: 'ready', line: 17, other: '@7.2' });
    const c = other.getState().comparison;
    if (c.status === 'ready') expect(other.getState().cursor).toBe(cursorsAt(c.result.lines, 17).a);
  });
});
