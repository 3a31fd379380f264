import { expect, test } from './fixtures';

test('ABA: from the canonical link at step 0, the keyboard steps to the loss of gfn2', async ({
  app,
  page,
}) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=0');
  const [, n] = await app.position();
  expect(n).toBeGreaterThan(50);
  await expect(page.getByTestId('violation-marker')).toHaveCount(0);
  await app.shot('aba-step0');

  await app.press('ArrowRight', 10);
  expect((await app.position())[0]).toBe(10);
  await app.press('ArrowLeft', 2);
  expect((await app.position())[0]).toBe(8);
  await app.press('End');
  expect(await app.position()).toEqual([n, n]);

  const marker = page.getByTestId('violation-marker');
  await expect(marker).toHaveCount(1);
  await expect(marker).toHaveAttribute('data-kind', 'lost-dirty-log');
  await expect(page.getByTestId('cause-arrow')).toHaveCount(2);
  await expect(page.getByTestId('violation')).toContainText('gfn2');
  // The inspector agrees: gfn2 written since the copy, its bitmap bit clear.
  const gfn2 = page.getByTestId('gfn-gfn2');
  await expect(gfn2).toHaveClass(/at-risk/);
  await expect(gfn2).toContainText('□');
  await expect(page.getByTestId('gfn-gfn1')).toContainText('■ set');
  await app.shot('aba-end');
});

test('dirty-bit loss: stepping to the end shows pfn 1 written but clean', async ({ app, page }) => {
  await app.open('#/dirty-bit-loss?variant=buggy&schedule=canonical&step=0');
  await app.press('End');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute('data-kind', 'lost-dirty-bit');
  await expect(page.getByTestId('violation')).toContainText('pfn1 was written');
  await expect(page.getByTestId('pfn-1')).toContainText('clean');
  await expect(page.getByTestId('spte-gfn0')).toContainText('NONPRESENT');
  await app.shot('dirty-bit-loss-end');
});

test('the fixed variants under their canonical schedule show no violation', async ({
  app,
  page,
}) => {
  for (const hash of [
    '#/aba?variant=pinned&schedule=canonical&step=end',
    '#/aba?variant=direct&schedule=canonical&step=end',
    '#/dirty-bit-loss?variant=fixed&schedule=canonical&step=end',
  ]) {
    await app.open(hash);
    await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
    await expect(page.getByTestId('violation-marker')).toHaveCount(0);
  }
  await app.shot('dirty-bit-loss-fixed-end');
});

test('play runs to the end by itself, and the buttons have accessible names', async ({
  app,
  page,
}) => {
  await app.open('#/dirty-bit-loss?variant=buggy&schedule=canonical&step=25');
  await page.getByRole('combobox', { name: 'speed' }).selectOption('16');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  const [step, n] = await app.position();
  expect(step).toBe(n);
  // Each name is the button's visible words (the arrows are decoration).
  for (const name of ['Back', 'Next', 'Start', 'End', 'Share link', 'Talk mode'])
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
});

test('a parameterised scenario opens from its link and its parameters can be changed', async ({
  app,
  page,
}) => {
  await app.open('#/dirty-bit-scaled?variant=buggy&params=n:3,k:2&schedule=canonical&step=end');
  await expect(page.getByLabel(/Parameter n/)).toHaveValue('3');
  await expect(page.getByTestId('code-3')).toBeVisible(); // host + 3 vCPUs
  await expect(page.getByTestId('violation')).toContainText('pfn1 was written');
  await page.getByLabel(/Parameter n/).fill('2');
  await app.ready();
  await expect(page.getByTestId('code-3')).toHaveCount(0);
  expect(page.url()).toContain('params=n:2,k:2');
});

test('the SRCU deadlock: the cycle on a hung run, the order flagged on a run that completes', async ({
  app,
  page,
}) => {
  await app.open('#/srcu-deadlock?variant=deadlock&schedule=canonical&step=end');
  await expect(
    page.getByTestId('violation').filter({ hasText: 'deadlock: vCPU0 → QEMU → vCPU0' }),
  ).toHaveCount(1);
  await expect(page.getByTestId('violation').filter({ hasText: 'srcu-rule' })).toHaveCount(1);
  // Pointing at a lock tells its type and what it protects (locking.rst's reference).
  await expect(page.getByTestId('locks').locator('li').first()).toHaveAttribute(
    'title',
    /mutex; any; protects memslot updates/,
  );
  await app.shot('srcu-deadlock-end');
  await app.open('#/srcu-deadlock?variant=timing&schedule=canonical&step=end');
  await expect(
    page.getByTestId('violation').filter({ hasText: 'possible circular locking dependency' }),
  ).toHaveCount(1);
  await expect(page.getByTestId('violation').filter({ hasText: 'deadlock:' })).toHaveCount(0);
  await app.open('#/srcu-deadlock?variant=slots-arch-lock&schedule=canonical&step=end');
  await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
});

test('notifier-retry: a stale mapping without the re-check, none with it', async ({
  app,
  page,
}) => {
  await app.open('#/notifier-retry?variant=no-recheck&schedule=canonical&step=end');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute('data-kind', 'stale-mapping');
  await expect(page.getByTestId('violation')).toContainText('use after free');
  await app.open('#/notifier-retry?variant=fixed&schedule=canonical&step=end');
  await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
});

test('tlb-flush: a W-keyed flush lets the guest write through a stale TLB entry', async ({
  app,
  page,
}) => {
  await app.open('#/tlb-flush?variant=w-keyed&schedule=canonical&step=end');
  await expect(page.getByTestId('violation-marker')).toHaveAttribute(
    'data-kind',
    'stale-tlb-write',
  );
  await app.open('#/tlb-flush?variant=mmu-writable&schedule=canonical&step=end');
  await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
});

test('hotplug-order: the inversion is reported against locking.rst on a run that completes', async ({
  app,
  page,
}) => {
  await app.open('#/hotplug-order?variant=inverted&schedule=canonical&step=end');
  await expect(
    page
      .getByTestId('violation')
      .filter({ hasText: 'says cpus_read_lock is taken outside kvm_lock' }),
  ).toHaveCount(1);
  await app.open('#/hotplug-order?variant=documented&schedule=canonical&step=end');
  await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
});

test('mn-invalidate: a notifier that takes slots_lock deadlocks with the memslot update', async ({
  app,
  page,
}) => {
  await app.open('#/mn-invalidate?variant=notifier-takes-slots-lock&schedule=canonical&step=end');
  await expect(page.getByTestId('violation')).toContainText('deadlock: H → U → H');
  await expect(page.getByTestId('var-mn_active_invalidate_count')).toContainText('= 1');
  await app.open('#/mn-invalidate?variant=documented&schedule=canonical&step=end');
  await expect(page.getByTestId('verdict')).toHaveText('No violation in this run.');
});
