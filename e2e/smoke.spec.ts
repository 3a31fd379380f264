import { expect, test } from '@playwright/test';

test('the default scenario runs in the worker and reports the ABA race', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));

  await page.goto('/');

  // Wait for the explicit end signal (done or error), never a fixed delay.
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText(/^(done|error)$/);
  if ((await status.textContent()) === 'error') {
    throw new Error(`run failed: ${await page.getByTestId('run-error').textContent()}`);
  }

  expect(Number(await page.getByTestId('steps').textContent())).toBeGreaterThan(0);
  await expect(
    page
      .getByTestId('violation')
      .filter({ hasText: 'lost-dirty-log' })
      .filter({ hasText: 'gfn 2' }),
  ).toHaveCount(1);
  expect(problems).toEqual([]);
});
