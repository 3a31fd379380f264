import { expect, test } from './fixtures';
import { exploreReport } from '../src/scenarios/report';

// issue 12 §5 "All cores": the app's search runs in several workers, with the one-worker figures.
test('exploring with two search threads reports the single-worker figures', async ({
  app,
  page,
}) => {
  // Nested workers are not page workers: their scripts show as the context's requests.
  const loaded: string[] = [];
  const failed: string[] = [];
  page.context().on('requestfinished', (r) => loaded.push(r.url()));
  page.context().on('requestfailed', (r) => failed.push(r.url()));
  await app.open('#/dirty-bit-scaled?variant=buggy&params=n:3,k:1&schedule=canonical&step=0');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  // One thread unless chosen (on 2 cores the partitioned search measured slower).
  if (cores > 1) await page.getByTestId('explore-threads').selectOption('2');
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  const verdict = page.getByTestId('explore-verdict');
  // The serial search in node, for the figures the page must show.
  const serial = exploreReport('dirty-bit-scaled', 'buggy', { params: { n: '3', k: '1' } });
  const fmt = (x: number | null) => (x ?? 0).toLocaleString('en-US');
  await expect(verdict).toContainText(
    `${fmt(serial.violatingExecutions)} of ${fmt(serial.executions)} paths of the reduced state graph`,
  );
  await expect(verdict).toContainText(
    `${fmt(serial.distinctOutcomes)} distinct final states, ${fmt(serial.violatingOutcomes)} with a violation`,
  );
  await expect(page.getByTestId('explore-results')).toContainText(`${fmt(serial.states)} states`);
  const search = (urls: string[]) => urls.filter((u) => u.includes('partition.worker'));
  // One nested worker (the explore worker is worker 0): none on one core.
  expect(search(loaded).length > 0, `${cores} cores: the search workers' script loaded`).toBe(
    cores > 1,
  );
  expect(search(failed)).toEqual([]);
  await app.shot('explore-parallel');
});

test('one search thread by default: no nested search worker starts', async ({ app, page }) => {
  const loaded: string[] = [];
  page.context().on('requestfinished', (r) => loaded.push(r.url()));
  await app.open('#/dirty-bit-scaled?variant=buggy&params=n:2,k:1&schedule=canonical&step=0');
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  await expect(page.getByTestId('explore-verdict')).toBeVisible();
  expect(loaded.filter((u) => u.includes('partition.worker'))).toEqual([]);
});
