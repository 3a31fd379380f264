import { expect, test } from './fixtures';

test('the inspector shows the locals of each CPU, and marks the stale gfn and the rewritten old_spte the ABA cmpxchg relies on', async ({
  app,
  page,
}) => {
  // After the first read: vCPU0's old_spte and gfn agree with memory.
  await app.open('#/aba?variant=buggy&schedule=canonical&step=5');
  const inspector = page.getByTestId('inspector');
  const gfn = inspector.getByTestId('local-gfn').first();
  await expect(gfn).toContainText('gfn = gfn1');
  await expect(gfn).not.toHaveAttribute('data-state', /./);

  // Just before vCPU0's cmpxchg (its last cas mark on the timeline; a mark names its 0-based step).
  await app.open('#/aba?variant=buggy&schedule=canonical&step=end');
  const cas = page.locator('[data-testid=step-mark][data-kind=cas][data-thread="0"]').last();
  const step = Number(await cas.getAttribute('data-step'));
  await app.open(`#/aba?variant=buggy&schedule=canonical&step=${step}`);
  await expect(page.getByTestId('narration')).not.toContainText('cmpxchg succeeded');
  const vcpu0 = inspector.getByTestId('locals').locator(':scope > li', { hasText: 'vCPU0' });
  const staleGfn = vcpu0.getByTestId('local-gfn');
  await expect(staleGfn).toHaveAttribute('data-state', 'stale');
  await expect(staleGfn).toContainText(/gfn = gfn1 .*≠ spgfn\[\w+\] now gfn2: stale/);
  const old = vcpu0.getByTestId('local-old_spte');
  await expect(old).toHaveAttribute('data-state', 'rewritten');
  await expect(old).toContainText(/rewritten since the read \(ABA\)/);
  await expect(old).toContainText(/read from spte\[\w+\] at step \d+/);
  await app.shot('locals-before-cmpxchg');
});

test('the legend explains every mark shape the timeline draws, and the highlights', async ({
  app,
  page,
}) => {
  await app.open('#/aba?variant=buggy&schedule=canonical&step=end');
  const legend = page.getByTestId('legend');
  await expect(legend.getByTestId('legend-atomic')).toBeHidden();
  await legend.getByText('Legend: what the shapes').click();
  const kinds = await page
    .getByTestId('step-mark')
    .evaluateAll((marks) => [
      ...new Set(marks.map((m) => /cat-(\w+)/.exec(m.getAttribute('class') ?? '')?.[1] ?? '?')),
    ]);
  expect(kinds.length).toBeGreaterThan(3);
  for (const cat of kinds) {
    const entry = legend.getByTestId(`legend-${cat}`);
    await expect(entry, `legend entry for ${cat} marks`).toBeVisible();
    // Drawn with the same shape as the timeline's marks of that kind.
    const d = await page.locator(`g.tl-mark.cat-${cat} path`).first().getAttribute('d');
    const legendD = await entry.locator('path').getAttribute('d');
    expect(legendD?.replace(/[\d.]+/g, '#')).toBe(d?.replace(/[\d.]+/g, '#'));
  }
  for (const text of ['hatched', 'solid', 'dashed arrow', 'blue line', 'stale', 'ABA'])
    await expect(legend).toContainText(text);
  await app.shot('legend');
});
