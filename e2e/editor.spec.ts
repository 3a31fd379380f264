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
    await app.ready();
    await expect(page.getByTestId('editor-error')).toHaveCount(0);
  });
});
