import { expect, test } from './fixtures';

test('building the ABA race by choosing CPUs one by one', async ({ app, page }) => {
  // The canonical schedule, read from the app, is the interleaving to build by hand.
  await app.open('#/aba?variant=buggy&schedule=canonical&step=0');
  const canonical = await page.evaluate(
    () => window.__lockstep?.store.getState().trace?.steps.map((s) => s.thread) ?? [],
  );
  expect(canonical.length).toBeGreaterThan(50);

  // Start from a schedule of one step, so every choice builds a new schedule.
  await app.open(`#/aba?variant=buggy&schedule=${canonical[0]}&step=1`);
  await expect(page.getByTestId('verdict')).toContainText('not finished');
  for (const t of canonical.slice(1)) {
    await expect(page.getByTestId(`choose-${t}`)).toBeEnabled();
    await page.keyboard.press(String(t + 1));
    await expect(page.getByTestId('app')).toHaveAttribute('data-status', 'ready');
  }
  expect(await app.position()).toEqual([canonical.length, canonical.length]);
  await expect(page.getByTestId('violation')).toContainText('gfn2');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute('data-kind', 'lost-dirty-log');
  await app.shot('aba-built-by-hand');
});

test('a CPU that cannot run says why', async ({ app, page }) => {
  // kswapd (1) holds mmu_lock for write after its first step; QEMU (3) needs it.
  await app.open('#/aba?variant=buggy&schedule=1&step=1');
  await expect(page.getByTestId('choose-3')).toBeDisabled();
  await expect(page.getByLabel('Blocked CPUs')).toContainText(
    'QEMU cannot run: mmu_lock (write) is held by kswapd',
  );
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(page.getByTestId('verdict')).toBeVisible();
  const [step, n] = await app.position();
  expect(step).toBe(n);
});
