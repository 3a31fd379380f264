import { expect, test } from './fixtures';

test('Share copies a link that reproduces the same step and state in a new page', async ({
  app,
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await app.open('#/aba?variant=buggy&schedule=canonical&step=0');
  await app.press('ArrowRight', 30);
  await page.getByRole('button', { name: 'Share link' }).click();
  await expect(page.getByTestId('share-result')).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('#/aba?variant=buggy&kernel=6.12&schedule=canonical&step=30');
  const inspector = await page.getByTestId('inspector').innerText();

  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('app')).toHaveAttribute('data-status', 'ready');
  await expect(other.getByTestId('step-counter')).toContainText('step 30');
  expect(await other.getByTestId('inspector').innerText()).toBe(inspector);
});

test('editing the step in the URL moves the cursor', async ({ app, page }) => {
  await app.open('#/dirty-bit-loss?variant=buggy&schedule=canonical&step=3');
  await page.evaluate(() => {
    window.location.hash = '#/dirty-bit-loss?variant=buggy&schedule=canonical&step=20';
  });
  await expect(page.getByTestId('step-counter')).toContainText('step 20');
});

const BROKEN: [string, RegExp][] = [
  ['#/nope', /no scenario 'nope'/],
  ['#/aba?variant=nope', /no variant 'nope'/],
  ['#/aba?schedule=0.x.1', /schedule in the link is malformed/],
  ['#/aba?schedule=1.3', /QEMU cannot run/],
  ['#/aba?step=99999', /only \d+ steps/],
  [`#/${'x'.repeat(100_000)}`, /too long/],
  ['#/<script>window.__pwned=1</script>', /names no valid scenario/],
  ['#/aba?variant=<img src=x onerror="window.__pwned=1">', /names no valid variant/],
];

for (const [hash, message] of BROKEN)
  test(`a broken link (${hash.slice(0, 40)}) shows a message and the default scenario`, async ({
    app,
    page,
  }) => {
    await page.goto(`/${hash}`);
    await expect(page.getByTestId('message')).toContainText(message);
    await expect(page.getByTestId('message')).toContainText('Showing the default scenario instead');
    await expect(page.getByTestId('app')).toHaveAttribute('data-status', 'ready');
    await expect(page.getByTestId('step-counter')).toContainText(/step 0 \/ \d+/);
    expect(
      await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(await page.locator('main img, header img').count()).toBe(0);
    void app;
  });

test("a broken link's message goes when the user then opens a good link", async ({ app, page }) => {
  await page.goto('/#/aba?variant=<img src=x>');
  await expect(page.getByTestId('message')).toHaveText(
    /^The link names no valid variant: '<img src=x>'\. Showing the default scenario instead\./,
  );
  await app.ready();
  await page.evaluate(() => {
    window.location.hash = '#/dirty-bit-loss?variant=buggy&schedule=canonical&step=5';
  });
  await expect(page.getByTestId('step-counter')).toContainText('step 5 /');
  await expect(page.getByRole('combobox').first()).toHaveValue('dirty-bit-loss');
  await expect(page.getByTestId('message')).toHaveCount(0);
});

test('a link whose schedule cannot run says so in its own sentence', async ({ page }) => {
  await page.goto('/#/aba?schedule=1.3');
  await expect(page.getByTestId('message')).toContainText(
    /QEMU cannot run: mmu_lock \(write\) is held by kswapd\. Showing the default scenario instead\./,
  );
});
