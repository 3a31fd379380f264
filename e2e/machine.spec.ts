import { expect, test } from './fixtures';

test('Edit a copy shows the machine field by field, and an edited field runs', async ({
  app,
  page,
}) => {
  await app.open('#/aba');
  await page.getByTestId('open-editor').click();
  page.on('dialog', (d) => void d.accept());
  await page.getByTestId('editor-copy').click();
  const content = page.locator('.cm-content');
  await expect(content).toContainText('gfns T, gfn1, gfn2;');
  await expect(content).toContainText(
    'spte gva0 = pfn1 | Present | R | X | A | D | HostW | MmuW -> gfn1;',
  );
  // The field words are coloured as keywords (the highlighter knows them).
  const line = page.locator('.cm-line', { hasText: 'host_map T -> pfn3' });
  const style = await line.getByText('host_map').evaluate((el) => getComputedStyle(el).color);
  const plain = await line.getByText('pfn3').evaluate((el) => getComputedStyle(el).color);
  expect(style).not.toBe(plain);
  await app.shot('machine-fields');

  // A typo in a field is marked where it is, with the nearest field's name.
  await page.locator('.cm-line', { hasText: 'dirty_logging;' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('dirty_loging;');
  await page.getByTestId('editor-run').click();
  await expect(page.getByTestId('editor-error')).toContainText("did you mean 'dirty_logging'?");
});
