import { expect, test, type Lockstep } from './fixtures';
import type { Page } from '@playwright/test';

/** Opens the outcome map of a finished exploration and waits until every state is painted. */
async function openMap(page: Page) {
  await page.getByText(/^Outcome map: all [\d,]+ final states at once$/).click();
  const canvas = page.getByTestId('outcome-map-canvas');
  await expect(canvas).toHaveAttribute('data-painted', 'true', { timeout: 30_000 });
  return canvas;
}

/** The page coordinates of map state p's centre (from the report the app holds). */
async function centreOf(page: Page, p: number) {
  const canvas = page.getByTestId('outcome-map-canvas');
  // The whole map on screen: the mouse only reaches what the viewport shows.
  await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = await canvas.boundingBox();
  if (!box) throw new Error('map not on screen');
  const c = await page.evaluate((q) => {
    const ex = window.__lockstep?.store.getState().exploration;
    const v = ex?.status === 'done' ? ex.report.mapView : undefined;
    if (!v) return null;
    const r = v.rects;
    return {
      x: ((r[q * 4] ?? 0) + (r[q * 4 + 2] ?? 0)) / 2 / v.width,
      y: ((r[q * 4 + 1] ?? 0) + (r[q * 4 + 3] ?? 0)) / 2 / v.height,
    };
  }, p);
  if (!c) throw new Error('no map in the report');
  return { x: box.x + c.x * box.width, y: box.y + c.y * box.height };
}

async function explore(app: Lockstep, page: Page, hash: string) {
  await app.open(hash);
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  await expect(page.getByTestId('explore-verdict')).toBeVisible({ timeout: 60_000 });
}

test('the outcome map: hover describes a final state, a click replays it at its violation', async ({
  app,
  page,
}) => {
  await explore(
    app,
    page,
    '#/dirty-bit-scaled?variant=buggy&params=n:3,k:1&schedule=canonical&step=0',
  );
  await openMap(page);
  const legend = page.getByTestId('outcome-map-legend');
  await expect(legend).toContainText(
    /lost-dirty-bit: 19 final states, [\d,]+ paths of the reduced state graph/,
  );
  await expect(legend).toContainText(/no violation: 8 final states/);
  await app.shot('outcome-map-n3');

  const first = await centreOf(page, 0);
  await page.mouse.move(first.x, first.y);
  const tip = page.getByTestId('outcome-map-tip');
  await expect(tip).toContainText(
    /^lost-dirty-bit, reached by [\d,]+ paths? of the reduced state graph/,
  );
  await expect(tip).toContainText(/Group: pfn1 Dirty = [01], pfn2 Dirty = [01]/);
  await expect(tip).toContainText('(most:');
  // A state of the last kind (no violation): the tooltip follows the pointer.
  const last = await centreOf(page, 26);
  await page.mouse.move(last.x, last.y);
  await expect(tip).toContainText(/^no violation, /);

  await page.mouse.move(first.x, first.y);
  await page.mouse.click(first.x, first.y);
  await app.ready();
  await expect(page).toHaveURL(/step=[1-9]\d*/);
  await expect(page.getByTestId('violation').first()).toContainText('lost-dirty-bit');
});

test('the outcome map by keyboard: arrows move between states, Enter replays; the list says the same', async ({
  app,
  page,
}) => {
  await explore(
    app,
    page,
    '#/dirty-bit-scaled?variant=buggy&params=n:3,k:1&schedule=canonical&step=0',
  );
  const canvas = await openMap(page);
  await canvas.focus();
  const spoken = page.getByTestId('outcome-map-focus');
  await expect(spoken).toContainText(/^Final state 1 of 27: lost-dirty-bit/);
  await page.keyboard.press('End');
  await expect(spoken).toContainText(/^Final state 27 of 27: no violation/);
  await page.keyboard.press('ArrowLeft');
  await expect(spoken).toContainText(/^Final state 26 of 27/);
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await expect(spoken).not.toContainText(/^Final state 1 of/);

  const list = page.getByTestId('outcome-map-list');
  await list.getByText(/^The map as a list \(\d+ groups\)$/).click();
  await expect(list).toContainText(/lost-dirty-bit: 19 final states/);
  await expect(list).toContainText(/pfn1 Dirty = 0, pfn2 Dirty = 0: \d+ final states?/);

  await canvas.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await app.ready();
  await expect(page).toHaveURL(/step=[1-9]\d*/);
  await expect(page.getByTestId('violation').first()).toContainText('lost-dirty-bit');
});

test('an incomplete search: the map says every state is drawn the same size', async ({
  app,
  page,
}) => {
  await app.open('#/dirty-bit-scaled?variant=buggy&params=n:4,k:1&schedule=canonical&step=0');
  await page.getByLabel('State budget').fill('300');
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  await expect(page.getByTestId('explore-incomplete')).toBeVisible({ timeout: 60_000 });
  await openMap(page);
  await expect(page.getByTestId('outcome-map-sizing')).toContainText(
    'The search is incomplete, so nothing was counted: every final state is drawn the same size.',
  );
});

test('a litmus text typed in the editor gets its map, grouped by its registers', async ({
  app,
  page,
}) => {
  await app.open('#/aba');
  await page.getByTestId('open-editor').click();
  await page.getByRole('textbox', { name: 'Scenario text' }).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // Store buffering: under sequential consistency three final states, (0,1), (1,0) and (1,1).
  await page.keyboard.type(
    'C sb\n{}\nP0(int *x, int *y) {\nint r0;\nWRITE_ONCE(*x, 1);\nr0 = READ_ONCE(*y);\n}\n' +
      'P1(int *x, int *y) {\nint r0;\nWRITE_ONCE(*y, 1);\nr0 = READ_ONCE(*x);\n}\n' +
      'exists (0:r0=0 /\\ 1:r0=0)\n',
  );
  await page.getByTestId('editor-explore').click();
  await app.ready();
  await expect(page.getByTestId('explore-verdict')).toBeVisible({ timeout: 60_000 });
  await openMap(page);
  await expect(page.getByTestId('outcome-map-legend')).toContainText(
    'no violation: 3 final states',
  );
  const list = page.getByTestId('outcome-map-list');
  await list.getByText(/^The map as a list/).click();
  await expect(list).toContainText(/0:r0 = 0, 1:r0 = 1: 1 final state/);
  await expect(list).toContainText(/0:r0 = 1, 1:r0 = 0: 1 final state/);
  await expect(list).not.toContainText('0:r0 = 0, 1:r0 = 0');
  const first = await centreOf(page, 0);
  await page.mouse.move(first.x, first.y);
  await expect(page.getByTestId('outcome-map-tip')).toContainText(
    /Group: 0:r0 = [01], 1:r0 = [01]/,
  );
});
