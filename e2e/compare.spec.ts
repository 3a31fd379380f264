import { expect, test } from './fixtures';

test('buggy beside pinned: pick, step both, jump to the divergence and the loss, share the link', async ({
  app,
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await app.open('#/aba?variant=buggy&kernel=6.12&schedule=canonical&step=0');
  await page.getByTestId('compare-pick').selectOption('pinned@6.12');
  await page.getByTestId('compare-open').click();
  const view = page.getByTestId('compare-view');
  await expect(view).toBeVisible();
  await expect(page.getByTestId('compare-counter')).toHaveText(/^line 0 \/ \d+$/);

  // Next moves both sides and the page's cursor (side A).
  await page.getByTestId('compare-next').click();
  await page.getByTestId('compare-next').click();
  await expect(page.getByTestId('compare-counter')).toHaveText(/^line 2 \//);
  await expect(view).toContainText('A buggy on 6.12: step 2 of');
  await expect(view).toContainText('B pinned on 6.12: step 2 of');
  expect((await app.position())[0]).toBe(2);

  // The divergence: A's row 1 ends where B takes its pin.
  await page.getByTestId('goto-divergence').click();
  const current = page.getByTestId('compare-table').locator('tr.current');
  await expect(current).toContainText('first divergence');
  await expect(current).toContainText('gfn_to_pfn_memslot_atomic');
  await expect(page).toHaveURL(/compare=pinned@6\.12&row=10$/);

  // The loss only the buggy side has.
  await page.getByTestId('goto-loss-a').click();
  await expect(current).toContainText('only A loses data here: lost-dirty-log');
  await expect(page.getByTestId('goto-loss-b')).toHaveCount(0);
  await expect(page.getByTestId('compare-summary')).toContainText(
    'Only A loses data: gfn2 was written after the last harvest',
  );
  await app.shot('compare-1280');
  await view.screenshot({ path: 'test-results/screens/compare-1280-view.png' });
  await expect(current).toBeInViewport();
  const url = page.url();

  // The link carries the comparison: a fresh page opens at the same line.
  await page.goto('about:blank');
  await page.goto(url);
  await app.ready();
  await expect(page.getByTestId('compare-table').locator('tr.current')).toContainText(
    'only A loses data here',
  );
});

test('a kernel comparison: the same variant on 6.8 and 7.2, and the strip at 1600×1000', async ({
  app,
  page,
}) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await app.open(
    '#/access-tracking?variant=non-atomic-restore&kernel=6.8&schedule=canonical&step=0&compare=@7.2',
  );
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page.getByTestId('goto-loss-a')).toContainText('lost-dirty-bit');
  await expect(page.getByTestId('strip-loss-a')).toHaveCount(1);
  // Clicking the strip at its right end moves both sides to the end.
  const strip = page.getByTestId('compare-strip');
  const box = await strip.boundingBox();
  if (!box) throw new Error('no strip');
  await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
  await expect(page.getByTestId('compare-counter')).toHaveText(/^line (\d+) \/ \1$/);
  await app.shot('compare-1600');
});

test('talk mode at 1920×1080 keeps the comparison on one screen', async ({ app, page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await app.open(
    '#/aba?variant=buggy&kernel=6.12&schedule=canonical&step=0&compare=pinned@6.12&row=70',
  );
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await page.keyboard.press('t');
  await expect(page.getByTestId('app')).toHaveClass(/talk/);
  await expect(page.getByTestId('compare-strip')).toBeInViewport();
  // A clicker steps the comparison: Home, then PageDown to the end of row 1
  // (buggy's 9 steps beside pinned's 11), then one line with the arrow key.
  await page.keyboard.press('Home');
  await expect(page.getByTestId('compare-counter')).toHaveText(/^line 0 \//);
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('compare-counter')).toHaveText(/^line 11 \//);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('compare-counter')).toHaveText(/^line 12 \//);
  expect((await app.position())[0]).toBe(10);
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('compare-counter')).toHaveText(/^line 11 \//);
  await page.screenshot({ path: 'test-results/screens/compare-talk.png' });
});

test('a bad comparison says so: a malformed link, and a variant missing from that kernel', async ({
  app,
  page,
}) => {
  await app.open('#/aba?variant=buggy&compare=%3Cimg%20src%3Dx%3E');
  await expect(page.getByRole('alert').first()).toContainText(
    "The comparison in the link is malformed: compare='<img src=x>'",
  );
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await app.open(
    '#/hotplug-order?variant=inverted&kernel=6.8&schedule=canonical&step=0&compare=usage-lock',
  );
  await expect(page.getByTestId('compare-error')).toContainText('not modelled for 6.8');
});

test('axe finds no serious or critical problem in the comparison', async ({ app, page }) => {
  await app.open(
    '#/aba?variant=buggy&kernel=6.12&schedule=canonical&step=0&compare=pinned@6.12&row=10',
  );
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  const problems = await page.evaluate(async () => {
    interface Result {
      violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
    }
    const axe = (window as unknown as { axe: { run: (n: Element) => Promise<Result> } }).axe;
    const node = document.querySelector('[data-testid="compare"]');
    if (!node) return ['no comparison on the page'];
    const r = await axe.run(node);
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(problems).toEqual([]);
});

test('a forked schedule: the story’s rows up to the fork, then B follows A’s stops', async ({
  app,
  page,
}) => {
  await app.open('#/aba?variant=buggy&kernel=6.12&schedule=0*9.1*16.3&step=0');
  await page.getByTestId('compare-pick').selectOption('pinned@6.12');
  await page.getByTestId('compare-open').click();
  const view = page.getByTestId('compare-view');
  await expect(view).toContainText("each of its threads stops where A's did");
  const heads = page.getByTestId('compare-table').locator('tr.row-head');
  await expect(heads.first()).toContainText('Row 1: 1. CPU 0: the guest writes gva0');
  await expect(heads.nth(2)).toHaveText('Row 3');
});

test('scenario text from the editor beside the same text on 7.2, and the link reopens it', async ({
  app,
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await app.open('#/aba');
  await page.getByTestId('open-editor').click();
  await page.getByRole('textbox', { name: 'Scenario text' }).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // P1 ages the page P0 faulted in: 6.12 takes mmu_lock for it, 7.2 ages locklessly.
  await page.keyboard.insertText(
    'C age\n{ @kvm(1, 1); }\nP0() {\n  @thread("vCPU0", "guest write", 0);\n  kvm_page_fault(0, 1, 0);\n}\n' +
      'P1() {\n  kvm_age_gfn(0);\n}\nexists (true)\n',
  );
  await page.getByTestId('editor-run').click();
  await app.textShown();
  // Text has no variants: the choices are the other kernels.
  const pick = page.getByTestId('compare-pick');
  await expect(pick.locator('option')).toHaveText(['This text on 6.8', 'This text on 7.2']);
  await pick.selectOption('@7.2');
  await page.getByTestId('compare-open').click();
  const view = page.getByTestId('compare-view');
  await expect(view).toContainText('A litmus on 6.12');
  await expect(view).toContainText('B litmus on 7.2');
  await expect(page.getByTestId('compare-strip')).toBeVisible();
  await page.getByTestId('goto-divergence').click();
  const current = page.getByTestId('compare-table').locator('tr.current');
  await expect(current).toContainText('first divergence');
  await expect(current).toContainText('rcu_read_lock');
  // The page's own views follow A: its step counter is A's step, of A's whole run.
  const sides = (await page.locator('.compare-sides').textContent()) ?? '';
  const [, stepA, ofA] = /A litmus on 6\.12: step (\d+) of (\d+)/.exec(sides) ?? [];
  expect(await app.position()).toEqual([Number(stepA), Number(ofA)]);
  await expect(page).toHaveURL(/#\/custom\?text=.*&h=[0-9a-f]{8}.*&compare=@7\.2&row=\d+$/);
  await app.shot('compare-text-1280');
  const url = page.url();
  const row = /row=(\d+)$/.exec(url)?.[1];

  // A fresh page opens the text and the comparison at the same line.
  await page.goto('about:blank');
  await page.goto(url);
  await app.ready();
  await expect(page.getByTestId('compare-view')).toHaveAttribute('data-line', row ?? '');
  await expect(page.getByTestId('compare-table').locator('tr.current')).toContainText(
    'rcu_read_lock',
  );
});
