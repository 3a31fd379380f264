import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const rowCounter = (page: Page) => page.getByTestId('row-counter');

/** The part of `el` outside the viewport, in px (0 when fully visible). */
async function offscreen(page: Page, el: Locator): Promise<number> {
  const box = await el.boundingBox();
  const vp = page.viewportSize();
  if (!box || !vp) return Infinity;
  return (
    Math.max(0, -box.y) +
    Math.max(0, box.y + box.height - vp.height) +
    Math.max(0, -box.x) +
    Math.max(0, box.x + box.width - vp.width)
  );
}

test('talk mode by keyboard alone: a clicker moves by narration row, Shift by one op', async ({
  app,
  page,
}) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=0');
  await page.keyboard.press('t');
  await expect(page.getByTestId('app')).toHaveClass(/talk/);
  await expect(page.getByTestId('inspector')).toHaveCount(0);
  await expect(page.getByTestId('narration')).toBeVisible();
  await expect(rowCounter(page)).toHaveText(/^row 0 of (\d+)$/);
  const rows = Number(/of (\d+)/.exec((await rowCounter(page).textContent()) ?? '')?.[1]);
  expect(rows).toBeGreaterThan(3);

  // A presentation clicker sends PageDown / PageUp: one row of the document's table per press.
  const chapter = page.getByTestId('narration').locator('.chapter');
  const seen: string[] = [];
  for (let r = 1; r <= 3; r++) {
    await page.keyboard.press('PageDown');
    await expect(rowCounter(page)).toHaveText(`row ${r} of ${rows}`);
    seen.push((await chapter.textContent()) ?? '');
  }
  expect(new Set(seen).size, 'each press shows a new row').toBe(3);
  const [atRow3] = await app.position();
  expect(atRow3).toBeGreaterThan(3);

  // Shift+PageDown is one op, into the next row.
  await page.keyboard.press('Shift+PageDown');
  expect((await app.position())[0]).toBe(atRow3 + 1);
  await expect(rowCounter(page)).toHaveText(`row 4 of ${rows}`);
  await page.keyboard.press('PageUp');
  expect((await app.position())[0]).toBe(atRow3);
  await expect(chapter).toHaveText(seen[2] ?? '');
  await app.shot('talk-mode');

  await app.press('End');
  await expect(rowCounter(page)).toHaveText(`row ${rows} of ${rows}`);
  await expect(page.getByTestId('violation-marker')).toHaveCount(1);
  await app.shot('talk-mode-end');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('app')).not.toHaveClass(/talk/);
  await expect(page.getByTestId('inspector')).toBeVisible();
});

for (const [width, height] of [
  [1920, 1080],
  [1280, 720],
] as const) {
  test(`talk mode at ${width}×${height}: every lane, a one-line verdict and the evidence on one screen`, async ({
    app,
    page,
  }) => {
    await page.setViewportSize({ width, height });
    // Just before the cmpxchg on a stale value: the evidence a speaker points at.
    await app.open('#/aba?variant=buggy&schedule=canonical&step=end');
    await page.keyboard.press('t');
    const host = page.getByTestId('timeline-host');
    await expect(page.getByTestId('compact-state')).toBeVisible();

    // Every lane, whole, with its whole label.
    const labels = page.getByTestId('thread-label');
    await expect(labels).toHaveCount(4);
    // Polled: entering talk mode resizes the timeline, which redraws its lanes
    // once the new size is known; the assertion is about the settled page.
    for (const label of await labels.all()) {
      await expect.poll(() => offscreen(page, label), { message: 'a thread label' }).toBe(0);
      expect(await label.textContent()).not.toContain('…');
    }
    await expect
      .poll(() => offscreen(page, page.getByTestId('timeline')), { message: 'the whole timeline' })
      .toBe(0);
    // The timeline fills the height left for it.
    const [svg, box] = [await page.getByTestId('timeline').boundingBox(), await host.boundingBox()];
    expect(svg?.height ?? 0).toBeGreaterThan((box?.height ?? 0) * 0.85);
    expect(box?.height ?? 0).toBeGreaterThan(height * 0.4);

    // The verdict is one line; it opens on request.
    const violation = page.getByTestId('violation');
    const font = await violation.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect((await violation.boundingBox())?.height ?? 0).toBeLessThan(font * 3);
    await expect(page.getByTestId('violation').locator('.trail')).toBeHidden();

    // The evidence: the SPTE, the dirty log (gfn2 written and not logged), the stale locals.
    const state = page.getByTestId('compact-state');
    await expect(state.getByTestId('spte-gva0')).toBeVisible();
    await expect(state.getByTestId('dirty-log')).toContainText('gfn2');
    await expect(state.getByTestId('local-gfn').first()).toBeVisible();
    expect(await offscreen(page, page.getByRole('button', { name: 'Back' }))).toBe(0);
    await app.shot(`talk-${width}x${height}`);

    await page.getByRole('button', { name: 'Show the trail' }).click();
    await expect(page.getByTestId('violation').locator('.trail')).toBeVisible();
  });
}

test('at 1280×720 in the normal view, the timeline and the state are on screen together at the race end', async ({
  app,
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await app.open('#/aba?variant=buggy&schedule=canonical&step=0');
  await page.keyboard.press('End');
  await page.getByRole('button', { name: 'One line' }).click();
  await expect(page.getByTestId('verdict-box')).toHaveAttribute('data-collapsed', 'true');
  // Scroll as a reader does, until the timeline's first lane is just below the replay bar.
  await page.getByTestId('thread-label').first().scrollIntoViewIfNeeded();
  await page.mouse.move(640, 400);
  const controlsBottom = async () =>
    (await page.getByRole('toolbar', { name: 'Replay' }).boundingBox())?.height ?? 0;
  const lane0 = await page.getByTestId('thread-label').first().boundingBox();
  await page.mouse.wheel(0, (lane0?.y ?? 0) - (await controlsBottom()) - 30);
  await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeInViewport();
  for (const label of await page.getByTestId('thread-label').all())
    expect(await offscreen(page, label), (await label.textContent()) ?? '').toBe(0);
  await expect(page.getByTestId('inspector').getByTestId('spte-gva0')).toBeInViewport();
  await app.shot('normal-1280x720-end');
});
