import { expect, test } from './fixtures';

test('talk mode by keyboard alone', async ({ app, page }) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=0');
  await page.keyboard.press('t');
  await expect(page.getByTestId('app')).toHaveClass(/talk/);
  await expect(page.getByTestId('inspector')).toHaveCount(0);
  await expect(page.getByTestId('narration')).toBeVisible();
  await expect(page.getByTestId('timeline')).toBeVisible();
  // A presentation clicker sends PageDown / PageUp.
  await app.press('PageDown', 5);
  await app.press('PageUp');
  expect((await app.position())[0]).toBe(4);
  await app.shot('talk-mode');
  await app.press('End');
  await expect(page.getByTestId('violation-marker')).toHaveCount(1);
  await app.shot('talk-mode-end');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('app')).not.toHaveClass(/talk/);
  await expect(page.getByTestId('inspector')).toBeVisible();
});
