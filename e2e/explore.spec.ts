import { expect, test } from './fixtures';

test('explore a scenario, read the verdict, replay the counterexample', async ({ app, page }) => {
  await app.open('#/dirty-bit-loss?variant=buggy&schedule=canonical&step=0');
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  const verdict = page.getByTestId('explore-verdict');
  await expect(verdict).toContainText(
    /[\d,]+ of [\d,]+ explored interleavings lose a page's Dirty bit\./,
  );
  await expect(verdict).toContainText('3 distinct final states, 1 with a violation');
  await app.shot('explore-results');

  await page.getByRole('button', { name: 'Replay counterexample' }).click();
  await app.ready();
  await expect(page).toHaveURL(/schedule=0\*6\.1\*16\.0\*10&step=0/);
  await app.press('End');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute('data-kind', 'lost-dirty-bit');
});

// Main-thread task lengths while exploring are measured in `npm run bench:ui`, not asserted
// here: on a loaded 2-core machine a timed assertion would flake.
test('a long exploration reports progress, keeps the page responsive, and cancels', async ({
  app,
  page,
}) => {
  await app.open('#/dirty-bit-scaled?variant=buggy&params=n:10,k:1&schedule=canonical&step=0');
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  const progress = page.getByTestId('explore-progress');
  await expect(progress).toContainText(/[1-9][\d,]* states/);
  // The page still steps while the worker explores.
  await app.press('ArrowRight', 3);
  expect((await app.position())[0]).toBe(3);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('explore-cancelled')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Explore all interleavings' })).toBeVisible();
});
