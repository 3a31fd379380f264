import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { axeProblems } from './axe';

/** Clears the editor (opening it first) and types `text` key by key, as a user does. */
async function typeInEditor(page: Page, text: string, paste = false) {
  if ((await page.getByTestId('editor').count()) === 0)
    await page.getByTestId('open-editor').click();
  await page.getByRole('textbox', { name: 'Scenario text' }).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  if (paste) await page.keyboard.insertText(text);
  else await page.keyboard.type(text);
}

// Store buffering, whose Result: comment says what herd7 says for the kernel memory model.
const SB =
  'C SB-typed\n(* Result: Sometimes *)\n{}\n' +
  'P0(int *x, int *y) {\nWRITE_ONCE(*x, 1);\nint r0 = READ_ONCE(*y);\n}\n' +
  'P1(int *x, int *y) {\nWRITE_ONCE(*y, 1);\nint r0 = READ_ONCE(*x);\n}\n' +
  'exists (0:r0=0 /\\ 1:r0=0)\n';

test.describe('herd7 verdict of a text scenario', () => {
  test('states, Never under SC, FLAGGED Result:, Replay of a witness; axe; two sizes', async ({
    app,
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await app.open('#/aba');
    await typeInEditor(page, SB);
    await page.getByTestId('editor-explore').click();
    const verdict = page.getByTestId('herd-verdict');
    await expect(verdict).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('herd-observation')).toHaveText('Never');
    await expect(verdict).toContainText('Positive 0, Negative 3');
    await expect(page.getByTestId('herd-flagged')).toContainText(
      /FLAGGED: the test's Result: comment \(line 2\) says Sometimes/,
    );
    const rows = page.getByTestId('herd-states').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toContainText('0:r0=0; 1:r0=1;');
    await expect(page.getByTestId('herd-notes')).toContainText(
      'Never under sequential consistency',
    );
    // The one-line form sits in the verdict box, where talk mode shows it too.
    await expect(page.getByTestId('herd-line')).toContainText(/Never under sequential/);
    await expect(page.getByTestId('herd-line')).toContainText('FLAGGED');

    // Replaying the witness of 0:r0=1; 1:r0=0; lands at the end of a run ending there.
    await page.getByRole('button', { name: 'Replay the witness of 0:r0=1; 1:r0=0;' }).click();
    await app.ready();
    const [at, of] = await app.position();
    expect(at).toBe(of);
    await expect(page.getByTestId('herd-verdict')).toBeVisible();
    await page.getByTestId('herd-verdict').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screens/herd-verdict-1280.png' });
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.getByTestId('herd-verdict').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screens/herd-verdict-1600.png' });
    expect(await axeProblems(page)).toEqual([]);

    await page.keyboard.press('t');
    await expect(page.getByTestId('herd-line')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/herd-verdict-talk.png' });
  });
});

test.describe('unsaved text is never lost', () => {
  const TEXT =
    'C keep-me\n{}\nP0(int *x) { WRITE_ONCE(*x, 3); }\nP1(int *x) { int r0 = READ_ONCE(*x); }\n';

  test('a crash of the engine worker, then a reload: the text is intact', async ({ app, page }) => {
    await app.open('#/aba');
    await typeInEditor(page, TEXT);
    await page.evaluate(() => window.__lockstep?.crashEngineWorker());
    // The crashed worker answers nothing: Run says so instead of hanging.
    await page.getByTestId('editor-run').click();
    await expect(page.getByTestId('message')).toContainText(
      /engine worker terminated|Proxy has been released/,
    );
    app.problems.length = 0;
    await page.reload();
    await app.ready();
    await page.getByTestId('open-editor').click();
    await expect(page.locator('.cm-content')).toContainText('WRITE_ONCE(*x, 3);');
    await expect(page.locator('.cm-content')).toContainText('C keep-me');
  });

  test('the picker asks before replacing unsaved text: dismiss keeps it, accept replaces it', async ({
    app,
    page,
  }) => {
    await app.open('#/aba');
    await typeInEditor(page, TEXT);
    await page.getByTestId('editor-run').click();
    await app.textShown();
    await expect(page).toHaveURL(/#\/custom\?text=/);
    const picker = page.getByRole('combobox', { name: 'Scenario' });
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await picker.selectOption('dirty-bit-loss');
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(/not saved as a \.litmus file or a link/);
    await expect(page).toHaveURL(/#\/custom\?text=/);
    await expect(page.getByText('litmus thread P1').first()).toBeVisible();

    page.once('dialog', (d) => void d.accept());
    await picker.selectOption('dirty-bit-loss');
    await expect(page).toHaveURL(/#\/dirty-bit-loss/);
    await app.ready();
    // The editor still holds the text: only the scenario on screen changed.
    await expect(page.locator('.cm-content')).toContainText('C keep-me');
  });

  test('a pasted built-in link asks too; dismissing restores the text link', async ({
    app,
    page,
  }) => {
    await app.open('#/aba');
    await typeInEditor(page, TEXT);
    await page.getByTestId('editor-run').click();
    await app.textShown();
    // The address bar carries the text once the run is on screen.
    await expect.poll(() => page.url()).toContain('#/custom?text=');
    const mine = page.url();
    page.once('dialog', (d) => void d.dismiss());
    await page.evaluate(() => {
      window.location.hash = '#/aba?variant=buggy';
    });
    await expect.poll(() => page.url()).toBe(mine);
    await expect(page.getByText('litmus thread P1').first()).toBeVisible();
  });
});

test.describe('done when: own code beside a built-in kernel path', () => {
  // 6.12's real fast page fault on vCPU0; P1 is "my" harvest that forgets to write-protect.
  const MINE =
    'C my-harvest\n{\n@kvm(1, 1);\n}\nP0() {\n@thread("vCPU0", "guest write", 0);\n' +
    'kvm_page_fault(0, 1, 0);\n}\nP1() {\nint r0;\nr0 = xchg(dirty_bitmap[0], 0);\n}\n' +
    'locations [1:r0]\nexists (1:r0=1)\n';

  test('typed, explored, violation replayed on the timeline, link reopened in a new page', async ({
    app,
    page,
    browser,
  }) => {
    await app.open('#/aba');
    await typeInEditor(page, MINE);
    await expect(page.locator('.cm-lintRange-error')).toHaveCount(0);
    await page.getByTestId('editor-explore').click();
    await expect(page.getByTestId('explore-results')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('explore-verdict')).toContainText(
      /lose a gfn from the dirty log/,
    );
    await page.getByRole('button', { name: 'Replay counterexample' }).first().click();
    await app.ready();
    await expect(page.getByTestId('violation-marker').first()).toBeVisible();
    await expect(page.getByTestId('violation').first()).toContainText('lost-dirty-log');
    const counter = (await app.counter().textContent()) ?? '';
    await page.getByRole('button', { name: 'Share link' }).click();
    await expect(page.getByTestId('share-result')).toBeVisible();
    const url = page.url();
    expect(url).toMatch(/#\/custom\?text=.*&schedule=/);

    const context = await browser.newContext();
    const fresh = await context.newPage();
    await fresh.goto(url);
    await expect(fresh.getByTestId('app')).toHaveAttribute('data-status', 'ready');
    await expect(fresh.getByTestId('step-counter')).toHaveText(counter);
    await expect(fresh.getByTestId('violation').first()).toContainText('lost-dirty-log');
    await expect(fresh.getByTestId('violation-marker').first()).toBeVisible();
    await fresh.getByTestId('open-editor').click();
    await expect(fresh.locator('.cm-content')).toContainText('r0 = xchg(dirty_bitmap[0], 0);');
    await context.close();
  });
});

test.describe('bad input in the page', () => {
  test('64 threads, a megabyte of text, an exploding search: clear messages, editor responsive', async ({
    app,
    page,
  }) => {
    await app.open('#/aba');
    const threads = Array.from({ length: 64 }, (_, i) => `P${i}(int *x) { WRITE_ONCE(*x, ${i}); }`);
    await typeInEditor(page, `C wide\n{}\n${threads.join('\n')}\n`, true);
    await page.getByTestId('editor-run').click();
    await expect(page.getByTestId('editor-error')).toContainText(
      /64 threads: lockstep's engine runs at most 16/,
    );

    // A megabyte, pasted: refused where the parser looks first, typing still shows at once.
    await typeInEditor(page, `C big\n(* ${'y'.repeat(1_000_000)} *)\n`, true);
    await expect(page.locator('.cm-lintRange-error')).toHaveCount(1, { timeout: 15_000 });
    await page.getByTestId('editor-run').click();
    await expect(page.getByTestId('editor-error')).toContainText(/characters/);
    await page.getByRole('textbox', { name: 'Scenario text' }).click();
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.type('//ok ');
    await expect(page.locator('.cm-line').first()).toHaveText('//ok C big');

    // Six writers of x and y: far more states than a budget of 3000.
    const writers = Array.from(
      { length: 6 },
      (_, i) =>
        `P${i}(int *x, int *y) { WRITE_ONCE(*x, ${i + 1}); WRITE_ONCE(*y, ${i + 1}); int r = READ_ONCE(*x); }`,
    );
    await typeInEditor(page, `C boom\n{}\n${writers.join('\n')}\nexists (x=1 /\\ y=6)\n`, true);
    await page.getByTestId('editor-run').click();
    await app.textShown();
    const budget = page.getByRole('spinbutton', { name: 'State budget' });
    await budget.fill('3000');
    await page.getByRole('button', { name: 'Explore all interleavings' }).click();
    await expect(page.getByTestId('explore-incomplete')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('herd-notes')).toContainText(
      'the search stopped at its budget of 3000 states',
    );
    await expect(page.getByTestId('herd-line')).toContainText('a lower bound');
  });
});
