import { expect, test } from './fixtures';

// `npm start` prints `http://localhost:5173/`: the URL a new user opens first
// has no hash at all, and `/#` has an empty one. Both must open the default
// scenario at step 0. This file also runs against `vite` itself
// (playwright.dev.config.ts), since that is what `npm start` serves.
for (const path of ['/', '/#'])
  test(`opening ${path} exactly as printed shows the ABA race at step 0`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByTestId('app')).toHaveAttribute('data-status', 'ready');
    await expect(page.getByTestId('timeline')).toBeVisible();
    await expect(page.getByTestId('step-counter')).toContainText(/step 0 \/ \d+/);
    await expect(page.getByRole('combobox').first()).toHaveValue('aba');
    await expect(page.getByTestId('narration')).toContainText('Initial state');
    await expect(page.getByTestId('message')).toHaveCount(0);
    // The view is written back, so the address bar now holds a shareable link.
    await expect(page).toHaveURL(/#\/aba\?variant=buggy&kernel=6\.12&schedule=canonical&step=0$/);
  });
