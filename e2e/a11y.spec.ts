import { expect, test } from './fixtures';
import { axeProblems } from './axe';

test.describe('axe finds no serious or critical problem', () => {
  test('on the main page at the race end, legend open', async ({ app, page }) => {
    await app.open('#/aba?variant=buggy&schedule=canonical&step=end');
    await page.getByText('Legend: what the shapes').click();
    expect(await axeProblems(page)).toEqual([]);
  });

  test('with explore results', async ({ app, page }) => {
    await app.open('#/dirty-bit-loss?variant=buggy&schedule=canonical&step=0');
    await page.getByRole('button', { name: 'Explore all interleavings' }).click();
    await expect(page.getByTestId('explore-verdict')).toBeVisible();
    expect(await axeProblems(page)).toEqual([]);
  });

  test('with the outcome map and its list open, a state focused', async ({ app, page }) => {
    await app.open('#/dirty-bit-loss?variant=buggy&schedule=canonical&step=0');
    await page.getByRole('button', { name: 'Explore all interleavings' }).click();
    await page.getByText(/^Outcome map: all \d+ final states at once$/).click();
    await page.getByTestId('outcome-map-canvas').focus();
    await page.getByText(/^The map as a list/).click();
    expect(await axeProblems(page)).toEqual([]);
  });

  test('in talk mode', async ({ app, page }) => {
    await app.open('#/aba?variant=buggy&schedule=canonical&step=end');
    await page.keyboard.press('t');
    await expect(page.getByTestId('compact-state')).toBeVisible();
    expect(await axeProblems(page)).toEqual([]);
  });
});

test('Space on a focused button presses that button, not play/pause', async ({ app, page }) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=3');
  await page.getByRole('button', { name: 'Next', exact: true }).focus();
  await page.keyboard.press('Space');
  expect((await app.position())[0]).toBe(4);
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  // With nothing focused, Space still plays.
  await page.getByTestId('narration').click();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await page.keyboard.press('Space');
});

test('buttons are named by their visible words', async ({ app, page }) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=3');
  for (const name of ['Start', 'Back', 'Play', 'Next', 'End', 'Share link', 'Talk mode'])
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
});

test('from the timeline, the keyboard reaches the state without walking the code links', async ({
  app,
  page,
}) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=10');
  // The timeline takes focus from the replay bar, and steps from there.
  await page.getByRole('button', { name: 'Talk mode' }).focus();
  const timeline = page.getByTestId('timeline-host');
  let presses = 0;
  while (!(await timeline.evaluate((el) => el === document.activeElement)) && presses++ < 20)
    await page.keyboard.press('Tab');
  await expect(timeline).toBeFocused();
  await page.keyboard.press('ArrowRight');
  expect((await app.position())[0]).toBe(11);
  // Tab on to the skip button, well before the first of the hundred code links.
  const skip = page.getByRole('button', { name: 'Skip the code to the state' });
  presses = 0;
  while (!(await skip.evaluate((el) => el === document.activeElement)) && presses++ < 15)
    await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector')).toBeFocused();
});

test('the "Link copied" note goes away when the link changes', async ({ app, page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await app.open('#/aba?variant=buggy&schedule=canonical&step=3');
  await page.getByRole('button', { name: 'Share link' }).click();
  await expect(page.getByTestId('share-result')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('share-result')).toHaveCount(0);
});
