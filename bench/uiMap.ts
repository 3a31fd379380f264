/**
 * The outcome map's UI figures (part of bench/ui.ts): explores
 * `dirty-bit-scaled` n=9 (about 20,000 distinct final states) in the built
 * app, opens the map, and reports main-thread tasks over 50 ms, the time to
 * paint every state, and hover latency from pointer move to the painted frame.
 */
import type { Page } from '@playwright/test';

export interface MapFigures {
  outcomes: number;
  exploreMs: number;
  /** Tasks over 50 ms from the click to the rendered results (report arrival included). */
  resultsLongTasks: number[];
  /** Tasks over 50 ms from opening the map through painting it and 100 hovers. */
  mapLongTasks: number[];
  paintMs: number;
  hoverMs: number[];
}

const LONG_TASKS = `(() => {
  window.__lt = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push(e.duration); })
    .observe({ type: 'longtask' });
})()`;

export async function outcomeMapFigures(page: Page, base: string): Promise<MapFigures> {
  await page.goto(
    `${base}#/dirty-bit-scaled?variant=buggy&params=n:9,k:1&schedule=canonical&step=0`,
  );
  await page.waitForSelector('[data-testid="step-mark"]');
  await page.evaluate(LONG_TASKS);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  await page.waitForSelector('[data-testid="explore-results"]', { timeout: 600_000 });
  const exploreMs = Date.now() - t0;
  const resultsLongTasks = (await page.evaluate('window.__lt')) as number[];
  const outcomes = await page.evaluate(() => {
    const ex = window.__lockstep?.store.getState().exploration;
    return ex?.status === 'done' ? ex.report.distinctOutcomes : 0;
  });

  await page.evaluate('window.__lt = []');
  const p0 = Date.now();
  await page.getByText(/^Outcome map: all [\d,]+ final states at once$/).click();
  await page.waitForSelector('[data-testid="outcome-map-canvas"][data-painted="true"]', {
    timeout: 60_000,
  });
  const paintMs = Date.now() - p0;
  const canvas = page.getByTestId('outcome-map-canvas');
  await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = await canvas.boundingBox();
  if (!box) throw new Error('map not on screen');
  // As the step-latency figure: t0 before the app's handler, the rAF before the paint,
  // and a message posted from it delivered right after that paint.
  await page.evaluate(`(() => {
    const w = window;
    w.__hover = [];
    const ch = new MessageChannel();
    let t0 = 0;
    ch.port1.onmessage = () => w.__hover.push(performance.now() - t0);
    window.addEventListener('pointermove', () => {
      t0 = performance.now();
      requestAnimationFrame(() => ch.port2.postMessage(0));
    }, { capture: true });
  })()`);
  for (let i = 0; i < 100; i++) {
    const x = box.x + ((i * 37) % 100) * (box.width / 100) + 2;
    const y = box.y + ((i * 61) % 100) * (box.height / 100) + 2;
    await page.mouse.move(x, y);
    await page.waitForFunction(
      (k) => (window as unknown as { __hover: number[] }).__hover.length > k,
      i,
    );
  }
  const hoverMs = (await page.evaluate('window.__hover')) as number[];
  const mapLongTasks = (await page.evaluate('window.__lt')) as number[];
  return { outcomes, exploreMs, resultsLongTasks, mapLongTasks, paintMs, hoverMs };
}
