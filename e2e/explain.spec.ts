import { expect, test } from './fixtures';

test('explore shows the minimised counterexample, explains its preemptions and marks them on the timeline', async ({
  app,
  page,
}) => {
  await app.open('#/notifier-retry?variant=no-recheck&schedule=canonical&step=0');
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  const ce = page.getByTestId('counterexample');
  // The shortest counterexample has 2 preemptions; one of them is not needed.
  await expect(ce).toContainText('Counterexample, minimised to 1 preemption (from 2)');
  await expect(page.getByTestId('preemption-explanation')).toContainText(
    /is preempted once, after “.+” \(step \d+\), for .+: required — without it the violation does not happen\./,
  );
  await expect(page.getByTestId('fewest-preemptions')).toContainText(
    /Needs 1 preemption; none with 0 \([\d,]+ states searched at that bound\)\./,
  );
  await app.shot('explain-results');

  const minimized = (await page.getByTestId('minimized-schedule').textContent()) ?? '';
  await ce.getByRole('button', { name: 'Replay counterexample' }).click();
  await app.ready();
  await expect(page).toHaveURL(
    new RegExp(`schedule=${minimized.replace(/[.*]/g, (c) => `\\${c}`)}&step=[1-9]\\d*`),
  );
  await expect(page.getByTestId('violation').first()).toContainText('stale-mapping');
  const markers = page.getByTestId('preemption-marker');
  await expect(markers).toHaveCount(1);
  await expect(markers.first()).toHaveAttribute('data-required', 'true');
  await expect(markers.first().locator('title')).toHaveText(
    /^\S+ preempted here: required \(without it the violation does not happen\)$/,
  );
  await app.shot('explain-timeline');

  // The shortest raw counterexample stays one click away, with its spare preemption hollow.
  await app.open('#/notifier-retry?variant=no-recheck&schedule=canonical&step=0');
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  await page.getByRole('button', { name: 'Replay shortest' }).click();
  await app.ready();
  await expect(page.getByTestId('preemption-marker')).toHaveCount(2);
  await expect(
    page.locator('[data-testid="preemption-marker"][data-required="false"]'),
  ).toHaveCount(1);
  await expect(page.getByTestId('legend-preemption')).toContainText('preempted here');
});

test('a preemption bound: too low finds nothing, enough finds the violation and replays it', async ({
  app,
  page,
}) => {
  await app.open('#/tlb-flush?variant=w-keyed&schedule=canonical&step=0');
  const bound = page.getByLabel('Preemption bound');
  await bound.fill('two');
  await expect(page.getByTestId('bound-error')).toContainText('whole number');
  await expect(page.getByRole('button', { name: 'Explore all interleavings' })).toBeDisabled();

  await bound.fill('1');
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  await expect(page.getByTestId('bounded-verdict')).toHaveText(
    'No violation with at most 1 preemption.',
  );
  const searches = page.getByTestId('bounded-searches').locator('li');
  await expect(searches).toHaveCount(2);
  await expect(searches.nth(1)).toContainText(
    /At most 1 preemption: [\d,]+ states, no violation\./,
  );

  await bound.fill('3');
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  await expect(page.getByTestId('bounded-verdict')).toHaveText('Needs 2 preemptions; none with 1.');
  const three = page.getByTestId('bounded-searches').locator('li');
  await expect(three).toHaveCount(3);
  await expect(three.nth(2)).toContainText(
    /At most 2 preemptions: a violation, found after [\d,]+ states/,
  );
  await app.shot('explain-bounded');
  await page.getByRole('button', { name: 'Replay bounded counterexample' }).click();
  await app.ready();
  await expect(page).toHaveURL(/step=[1-9]\d*/);
  await expect(page.getByTestId('violation').first()).toBeVisible();
  await expect(page.getByTestId('preemption-marker')).toHaveCount(2);
  await expect(page.locator('[data-testid="preemption-marker"][data-required="true"]')).toHaveCount(
    2,
  );
});
