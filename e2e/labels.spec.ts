import { expect, test } from './fixtures';

// What the app says must match the state it shows: names, step numbers, codes.

test('tlb-flush: TLB entries are named after the thread that owns them', async ({ app, page }) => {
  await app.open('#/tlb-flush?variant=w-keyed&schedule=canonical&step=0');
  const tlbs = page.getByTestId('inspector').locator('[data-testid^="tlb-"]');
  // Thread vCPU1 runs on vCPU slot 0; its first write caches a writable entry.
  await app.press('ArrowRight', 1);
  await expect(tlbs.first()).toContainText(/^vCPU1: G → pfn1 writable/);
  await expect(tlbs.nth(1)).toContainText(/^vCPU2:/);
  await expect(page.getByTestId('inspector')).not.toContainText('vCPU0');
  await app.shot('labels-tlb-flush-end');
});

test("flags and messages use the machine's gfn names", async ({ app, page }) => {
  await app.open('#/tlb-flush?variant=w-keyed&schedule=canonical&step=end');
  await expect(page.getByTestId('violation-marker')).toContainText('stale-tlb-write G');
  await app.open('#/aba?variant=buggy&schedule=canonical&step=end');
  await expect(page.getByTestId('violation-marker')).toContainText('lost-dirty-log gfn2');
  await expect(page.getByTestId('violation')).toContainText('gfn2 was written after the last');
  await expect(page.getByTestId('gfn-gfn2')).toBeVisible();
  await expect(page.locator('main')).not.toContainText(/gfn \d/);
});

test('srcu-deadlock: a blocked acquisition reads as an attempt, blocked since its step', async ({
  app,
  page,
}) => {
  await app.open('#/srcu-deadlock?variant=deadlock&schedule=canonical&step=end');
  const lo = page.getByTestId('violation').filter({ hasText: 'lock-order' });
  await expect(lo).toContainText(
    'vCPU0 took kvm->srcu (step 1) then tried to take kvm->slots_lock (blocked since step 2)',
  );
  await expect(page.getByTestId('violations')).not.toContainText('vCPU0 took kvm->slots_lock');
  // Step 2 is the op that blocked it: QEMU taking slots_lock.
  await page.getByTestId('violation').first().getByTestId('trail-step').first().click();
  await app.press('Home');
  await app.press('ArrowRight', 2);
  await expect(page.getByTestId('narration')).toContainText(/Step 2 QEMU .*mutex_lock/);
});

test('one step numbering: verdict link, counter, narration, timeline and URL agree', async ({
  app,
  page,
}) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=end');
  const cmpxchg = page
    .getByTestId('violation')
    .locator('li')
    .filter({ hasText: 'cmpxchg succeeds on a stale value' })
    .getByTestId('trail-step');
  const label = (await cmpxchg.textContent()) ?? '';
  const n = Number(/^step (\d+)$/.exec(label)?.[1]);
  expect(n).toBeGreaterThan(0);
  await cmpxchg.click();
  await expect(app.counter()).toContainText(`step ${n} /`);
  await expect(page.getByTestId('narration')).toContainText(`Step ${n} vCPU0`);
  await expect(page.getByTestId('narration')).toContainText('try_cmpxchg64');
  await expect(page).toHaveURL(new RegExp(`step=${n}$`));
  // The mark of step n is the one just run, and the timeline calls it step n.
  const mark = page.locator(`[data-testid="step-mark"][data-step="${n - 1}"] title`);
  await expect(mark).toHaveText(new RegExp(`^step ${n} · vCPU0 · cas`));
  // A link to step=n opens the same view: the README's link to the cmpxchg.
  await app.open(`#/aba?variant=buggy&kernel=6.12&schedule=canonical&step=${n}`);
  await expect(page.getByTestId('narration')).toContainText(`Step ${n} vCPU0`);
  await expect(page.getByTestId('narration')).toContainText('cmpxchg succeeded');
  await app.shot('labels-aba-cmpxchg');
});

test("narration names the document's rows as rows of its table", async ({ app, page }) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=1');
  await expect(page.getByTestId('chapter')).toHaveText(/^Row 1 of the document's table: CPU 0/);
  await app.press('End');
  await expect(page.getByTestId('chapter')).toContainText("Rows 7, 8 of the document's table");
  await expect(page.getByTestId('chapter')).toContainText('computed at row 1');
});

test('key hints carry thread names, and a tenth and eleventh CPU can be picked by key', async ({
  app,
  page,
}) => {
  await app.open('#/dirty-bit-scaled?variant=buggy&params=n:10,k:1&schedule=0&step=1');
  const threads = await page.evaluate(
    () => window.__lockstep?.store.getState().trace?.threads.map((t) => t.name) ?? [],
  );
  expect(threads.length).toBe(11);
  await expect(page.getByTestId('choose-1')).toHaveAttribute(
    'title',
    new RegExp(`^Key 2: run ${threads[1]} next`),
  );
  await expect(page.getByTestId('choose-9')).toContainText('0');
  await expect(page.getByTestId('choose-10')).toContainText('⇧1');
  // The 11th thread by Shift+1: the step just run is its.
  await page.keyboard.press('Shift+Digit1');
  await app.ready();
  await expect(app.counter()).toContainText('step 2 /');
  await expect(page.getByTestId('narration')).toContainText(`Step 2 ${threads[10]}`);
  await page.keyboard.press('0');
  await app.ready();
  await expect(page.getByTestId('narration')).toContainText(`Step 3 ${threads[9]}`);
});

test("internal codes are explained where they appear, and in the scenario's glossary", async ({
  app,
  page,
}) => {
  await app.open('#/tlb-flush?variant=reread&schedule=canonical&step=0');
  const glossary = page.getByTestId('glossary');
  await expect(glossary).toContainText('D2');
  await glossary.locator('summary').click();
  await expect(glossary).toContainText('the fast path sets W between a read and the update');
  // Step to the op whose note cites SU1: the code carries its meaning as a tooltip.
  const su1 = page.getByTestId('narration').locator('abbr', { hasText: 'SU1' });
  for (let i = 0; i < 40 && (await su1.count()) === 0; i++) await app.press('ArrowRight');
  await expect(su1).toHaveAttribute('title', /step 1 of the SPTE update under mmu_lock/);
  await app.shot('labels-glossary');
});
