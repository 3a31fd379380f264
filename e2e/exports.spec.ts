import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Download, Page } from '@playwright/test';
import { expect, test } from './fixtures';

const single = fileURLToPath(new URL('../dist-single/lockstep.html', import.meta.url));

async function saved(
  page: Page,
  action: () => Promise<void>,
): Promise<{ name: string; bytes: Buffer }> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), action()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

/** Opens an SVG or PNG at slide size and keeps a screenshot to look at. */
async function lookAt(page: Page, file: string, mime: string, bytes: Buffer, shot: string) {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.setContent(
    `<body style="margin:0;background:#888"><img id="pic" src="data:${mime};base64,${bytes.toString('base64')}"></body>`,
  );
  const size = await page.locator('#pic').evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  });
  mkdirSync('test-results/screens', { recursive: true });
  await page.screenshot({ path: `test-results/screens/${shot}.png` });
  return { file, size };
}

test('exports from the app: SVG, PNG, Perfetto, RST and text, as a user clicks', async ({
  app,
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await app.open('#/aba?variant=buggy&schedule=canonical&step=end');
  const panel = page.getByTestId('export');
  await panel.getByLabel('Picture of').selectOption('run');

  const svg = await saved(page, () => panel.getByRole('button', { name: 'Download SVG' }).click());
  expect(svg.name).toBe('lockstep-aba-buggy.svg');
  const text = svg.bytes.toString('utf8');
  expect(text).not.toMatch(/<script|\son\w+=/i);
  // Well-formed: the browser's own XML parser accepts it.
  const parsed = await page.evaluate((s) => {
    const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
    return {
      error: doc.getElementsByTagName('parsererror').length,
      lanes: doc.querySelectorAll('[data-thread]').length,
      flags: [...doc.querySelectorAll('[data-violation]')].map((e) =>
        e.getAttribute('data-violation'),
      ),
    };
  }, text);
  expect(parsed).toEqual({ error: 0, lanes: 4, flags: ['lost-dirty-log'] });

  await panel.getByLabel('Picture width').selectOption('1280');
  const png = await saved(page, () => panel.getByRole('button', { name: 'Download PNG' }).click());
  expect(png.name).toBe('lockstep-aba-buggy.png');
  expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.bytes.readUInt32BE(16)).toBe(1280);

  const trace = await saved(page, () =>
    panel.getByRole('button', { name: 'Download Perfetto trace' }).click(),
  );
  const events = (JSON.parse(trace.bytes.toString('utf8')) as { traceEvents: { cat?: string }[] })
    .traceEvents;
  expect(events.filter((e) => e.cat === 'violation')).toHaveLength(1);

  await panel.getByRole('button', { name: 'Copy RST' }).click();
  await expect(page.getByTestId('export-status')).toHaveText('RST table copied');
  const rst = await page.evaluate(() => navigator.clipboard.readText());
  expect(rst).toContain('| At the beginning::');
  expect(rst).toContain('OOPS!!!');
  await panel.getByRole('button', { name: 'Copy text' }).click();
  await expect(page.getByTestId('export-status')).toHaveText('Text table copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(
    'lost-dirty-log at step 67',
  );

  await lookAt(page, svg.name, 'image/svg+xml', svg.bytes, 'export-svg-1920');
  expect((await lookAt(page, png.name, 'image/png', png.bytes, 'export-png-1280')).size[0]).toBe(
    1280,
  );
});

test('talk mode: D downloads the current view as SVG, Shift+D as PNG', async ({ app, page }) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=20');
  await page.keyboard.press('t');
  await expect(page.getByTestId('app')).toHaveClass(/talk/);
  await expect(page.getByTestId('export')).toHaveCount(0);
  const svg = await saved(page, () => page.keyboard.press('d'));
  const text = svg.bytes.toString('utf8');
  expect(text).toContain('<svg');
  // At step 20 the violation (step 67) is still ahead: no flag gives it away.
  expect(text).not.toContain('data-violation');
  const png = await saved(page, () => page.keyboard.press('Shift+D'));
  expect(png.bytes.readUInt32BE(16)).toBe(1920);
});

test('the current view: after zooming in, the picture shows only the steps on screen', async ({
  app,
  page,
}) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=end');
  const panel = page.getByTestId('export');
  /** The step numbers on the picture's axis. */
  const ticks = async () => {
    const svg = await saved(page, () =>
      panel.getByRole('button', { name: 'Download SVG' }).click(),
    );
    return page.evaluate((s) => {
      const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
      return [...doc.querySelectorAll('text[text-anchor="middle"]')].map((t) =>
        Number(t.textContent),
      );
    }, svg.bytes.toString('utf8'));
  };
  const whole = await ticks();
  // The wheel zooms only where the pointer is over the timeline: bring it on screen first.
  await page.getByTestId('timeline').scrollIntoViewIfNeeded();
  const box = await page.getByTestId('timeline').boundingBox();
  if (!box) throw new Error('no timeline on the page');
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await page.mouse.wheel(0, -600);
  await expect(async () => {
    const zoomed = await ticks();
    expect(Math.max(...zoomed) - Math.min(...zoomed)).toBeLessThan(
      (Math.max(...whole) - Math.min(...whole)) / 2,
    );
  }).toPass();
  await panel.getByLabel('Picture of').selectOption('run');
  expect(await ticks()).toEqual(whole);
});

test('printing shows the timeline, the verdict and the state without the controls', async ({
  app,
  page,
}) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=end');
  await page.emulateMedia({ media: 'print' });
  for (const id of ['timeline', 'violations', 'inspector'])
    await expect(page.getByTestId(id)).toBeVisible();
  await expect(page.getByRole('toolbar', { name: 'Replay' })).toBeHidden();
  await expect(page.getByTestId('export')).toBeHidden();
  await expect(page.getByTestId('explore')).toBeHidden();
  await app.shot('print');
});

test('the single-file build runs from file:// with no network and steps through the ABA race', async ({
  app,
  page,
}) => {
  // CI builds it (.ci/run); locally a missing build skips, saying how to make it.
  test.skip(
    !existsSync(single) && !process.env.CI,
    'no dist-single/lockstep.html: npm run build:single',
  );
  const fetched: string[] = [];
  // Anything but the file itself, inline data and blob workers is a network request: refuse it.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (/^(file|data|blob):/.test(url)) return route.continue();
    fetched.push(url);
    return route.abort();
  });
  await page.goto(`${pathToFileURL(single).href}#/aba?variant=buggy&schedule=canonical&step=0`);
  await app.ready();
  await app.press('ArrowRight', 5);
  expect((await app.position())[0]).toBe(5);
  await app.press('End');
  await expect(page.getByTestId('violations')).toContainText('lost-dirty-log');
  await expect(page.getByTestId('violation-marker')).toHaveCount(1);
  expect(fetched).toEqual([]);
});
