import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

test.describe('the scenario editor', () => {
  test('typing a test marks the error, fixing it runs and explores the text', async ({
    app,
    page,
  }) => {
    await app.open('#/aba');
    await page.getByTestId('open-editor').click();
    const editor = page.getByRole('textbox', { name: 'Scenario text' });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    // A user types a test with a typo (READ_ONC) on line 5.
    await page.keyboard.type(
      'C typed\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\n' +
        'P1(int *x) {\nint r0 = READ_ONC(*x);\n}\nexists (1:r0=1)\n',
    );
    const marker = page.locator('.cm-lintRange-error');
    await expect(marker).toHaveCount(1);
    await expect(marker).toHaveText(/READ_ONC/);
    await page.getByTestId('editor-run').click();
    await expect(page.getByTestId('editor-error')).toHaveText(/^Line 5:/);

    // Fix it: the marker goes, Run shows the text's threads.
    await marker.click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('E(*x);');
    await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);
    await page.getByTestId('editor-explore').click();
    await app.ready();
    await app.shot('editor-explored');
    await expect(page.getByTestId('explore-verdict')).toBeVisible();
  });

  test('Edit a copy puts the current built-in into the editor as text', async ({ app, page }) => {
    await app.open('#/aba');
    await page.getByTestId('open-editor').click();
    page.on('dialog', (d) => void d.accept());
    await page.getByTestId('editor-copy').click();
    await expect(page.locator('.cm-content')).toContainText('C aba');
    await page.getByTestId('editor-run').click();
    await app.textShown();
    await expect(page.getByTestId('editor-error')).toHaveCount(0);
  });
});

test.describe('links and storage for scenario text', () => {
  const TEXT =
    'C linked\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\n' +
    'P1(int *x) {\nint r0 = READ_ONCE(*x);\n}\nexists (1:r0=1)\n';

  async function typeText(page: Page, text: string) {
    await page.getByTestId('open-editor').click();
    await page.getByRole('textbox', { name: 'Scenario text' }).click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  }

  test('the link reproduces text, schedule and step in a fresh page', async ({
    app,
    page,
    browser,
  }) => {
    await app.open('#/aba');
    await typeText(page, TEXT);
    await page.getByTestId('editor-run').click();
    await app.textShown();
    await page.getByRole('button', { name: '2 P1' }).click();
    await page.getByRole('button', { name: 'Run to end' }).click();
    await expect(page).toHaveURL(/#\/custom\?text=.*&h=[0-9a-f]{8}/);
    const url = page.url();
    const counter = (await app.counter().textContent()) ?? '';
    const context = await browser.newContext();
    const fresh = await context.newPage();
    await fresh.goto(url);
    await expect(fresh.getByTestId('app')).toHaveAttribute('data-status', 'ready');
    await expect(fresh.getByTestId('step-counter')).toHaveText(counter);
    await expect(fresh.getByText('litmus thread P1').first()).toBeVisible();
    // The fresh page's editor opens with the linked text (nothing was saved there).
    await fresh.getByTestId('open-editor').click();
    await expect(fresh.locator('.cm-content')).toContainText('C linked');
    // A changed text no longer matches its hash: the page says so.
    await fresh.goto(url.replace(/h=[0-9a-f]{8}/, 'h=00000000'));
    await expect(fresh.getByTestId('message')).toContainText(/does not match its checksum/);
    await context.close();
  });

  test('the text survives a reload; a link over 8 kB is refused with a file instead', async ({
    app,
    page,
  }) => {
    await app.open('#/aba');
    // A long comment makes the text incompressible enough to pass 8 kB.
    const noise = Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 9973).toString(36)).join(
      ' ',
    );
    await typeText(page, `${TEXT}(* ${noise} *)\n`);
    await page.reload();
    await app.ready();
    await page.getByTestId('open-editor').click();
    await expect(page.locator('.cm-content')).toContainText('C linked');
    await page.getByTestId('editor-run').click();
    await app.textShown();
    await page.getByRole('button', { name: 'Share link' }).click();
    await expect(page.getByTestId('share-result')).toContainText(/over the 8 kB limit/);
    const download = page.waitForEvent('download');
    await page.getByTestId('share-download').click();
    expect((await download).suggestedFilename()).toMatch(/\.litmus$/);
  });
});

test.describe('files and bad input in the editor', () => {
  const FILE_TEXT =
    'C from-file\n{}\nP0(int *x) { WRITE_ONCE(*x, 2); }\n' +
    'P1(int *x) {\nint r0 = READ_ONCE(*x);\n}\nexists (1:r0=2)\n';

  test('opens a .litmus file by picker and by drop, and saves the text', async ({ app, page }) => {
    await app.open('#/aba');
    await page.getByTestId('open-editor').click();
    page.on('dialog', (d) => void d.accept());
    await page.getByTestId('editor-open-file').setInputFiles({
      name: 'from-file.litmus',
      mimeType: 'text/plain',
      buffer: Buffer.from(FILE_TEXT),
    });
    await expect(page.locator('.cm-content')).toContainText('C from-file');
    const download = page.waitForEvent('download');
    await page.getByTestId('editor-save').click();
    expect((await download).suggestedFilename()).toBe('from-file.litmus');

    const dropped = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['C dropped\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\n'], 'd.litmus'));
      return dt;
    });
    await page.getByTestId('editor').dispatchEvent('drop', { dataTransfer: dropped });
    await expect(page.locator('.cm-content')).toContainText('C dropped');
  });

  test('a huge text and a runaway loop give a clear message; the page stays responsive', async ({
    app,
    page,
  }) => {
    await app.open('#/aba');
    await page.getByTestId('open-editor').click();
    page.on('dialog', (d) => void d.accept());
    await page.getByTestId('editor-open-file').setInputFiles({
      name: 'huge.litmus',
      mimeType: 'text/plain',
      buffer: Buffer.from(`C huge\n(* ${'x'.repeat(2_000_000)} *)\n`),
    });
    await expect(page.getByTestId('editor-error')).toContainText(/limited to/);
    // A loop that never ends on its own: the loop bound cuts it, the run finishes.
    await page.getByRole('textbox', { name: 'Scenario text' }).click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(
      'C spin\n{}\nP0(int *x) {\nwhile (READ_ONCE(*x) == 0) { }\n}\n' +
        'P1(int *x) { int r0 = READ_ONCE(*x); }\nexists (1:r0=0)\n',
    );
    await page.getByTestId('editor-explore').click();
    await expect(
      page
        .getByTestId('explore-verdict')
        .or(page.getByTestId('editor-error'))
        .or(page.getByTestId('message')),
    ).toBeVisible({ timeout: 20_000 });
    // Still responsive: the editor takes keys and shows them.
    await page.locator('.cm-line').last().click();
    await page.keyboard.type('// still here');
    await expect(page.locator('.cm-content')).toContainText('// still here');
    await app.shot('editor-runaway');
  });
});
