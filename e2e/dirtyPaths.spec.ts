import { expect, test } from './fixtures';

test('dirty ring: stepping through the reset shows B’s entry invalidated and B lost, and the fixed reset keeps it', async ({
  app,
  page,
}) => {
  await app.open('#/dirty-ring?variant=no-harvested-check&kernel=6.12&schedule=canonical&step=0');
  const ring = page.getByTestId('ring-0');
  await expect(ring).toBeVisible();
  await expect(page.getByTestId('ring-0-0')).toContainText('invalid');

  await page.keyboard.press('End');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute('data-kind', 'lost-dirty-log');
  await expect(page.getByTestId('ring-0-1')).toContainText('invalid');
  await expect(ring.locator('caption')).toContainText('dirty_index 2, reset_index 2');
  await expect(page.getByTestId('gfn-B')).toHaveClass(/at-risk/);
  await app.shot('dirty-ring-no-harvested-check-end');

  // The fixed variant, picked as a user would: B's entry is still dirty at the end.
  await page.getByLabel('Variant').selectOption('harvested');
  await app.ready();
  await page.keyboard.press('End');
  await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
  await expect(page.getByTestId('ring-0-1')).toContainText('B');
  await expect(page.getByTestId('ring-0-1')).toContainText('dirty');
  await expect(page.getByTestId('gfn-B')).not.toHaveClass(/at-risk/);
  await expect(page.getByTestId('gfn-B')).toContainText('on a ring');
  await app.shot('dirty-ring-harvested-end');
});

test('d-bit logging and clear-dirty-log open from links with their verdicts', async ({
  app,
  page,
}) => {
  await app.open('#/d-bit-logging?variant=zap-drops-d&kernel=6.12&schedule=canonical&step=end');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute('data-kind', 'lost-dirty-bit');
  await expect(page.getByTestId('inspector')).toContainText('D-bit logging (PML)');
  await app.shot('d-bit-logging-zap-drops-d-end');

  await app.open('#/clear-dirty-log?variant=plain-clear&kernel=7.2&schedule=canonical&step=end');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute('data-kind', 'lost-dirty-log');
  await expect(page.getByTestId('gfn-B')).toHaveClass(/at-risk/);
  await app.shot('clear-dirty-log-plain-clear-end');
});
