/**
 * UI benchmark (figures, not pass/fail): Playwright against the built app.
 *
 *   npm run build && npm run bench:ui [-- --json]
 *
 * Measures: opening a shared link until the timeline is drawn; step latency
 * from keypress to the next painted frame (200 steps); frame times while
 * zooming and panning a 10,000-step trace; main-thread tasks over 50 ms
 * while exploring and while a complete ABA exploration's report arrives and
 * renders; production JavaScript, gzip; the outcome map of 20,000 final
 * states (bench/uiMap.ts). `--only explore` runs the two exploration
 * measures alone, `--only map` the map's, `--only open` the link's (with its
 * phases, bench/uiOpen.ts).
 */
import type { Page } from '@playwright/test';
import { launchChromium } from './chromium';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { outcomeMapFigures, type MapFigures } from './uiMap';
import { openLinkFigures, type OpenFigures } from './uiOpen';

// BENCH_PORT: checkouts that run side by side each use their own port.
const PORT = Number(process.env.BENCH_PORT ?? 4179);
const BASE = `http://localhost:${PORT}/`;

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
const r1 = (x: number) => Math.round(x * 10) / 10;

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(BASE)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`preview server did not start on ${BASE}`);
}

/** Keypress to the next painted frame, measured inside the page. */
async function stepLatency(page: Page, steps: number): Promise<{ lat: number[]; inFrame: number }> {
  await page.goto(`${BASE}#/aba?variant=buggy&schedule=canonical&step=0`);
  await page.waitForSelector('[data-testid="step-mark"]');
  // Capture phase on window: t0 is taken before the app's own key handler runs.
  // The first rAF callback runs before the frame that shows the new state is
  // painted; a message posted from it is delivered right after that paint.
  await page.evaluate(`(() => {
    const w = window;
    w.__lat = [];
    const ch = new MessageChannel();
    let t0 = 0;
    ch.port1.onmessage = () => w.__lat.push(performance.now() - t0);
    w.__inFrame = 0;
    window.addEventListener('keydown', () => {
      t0 = performance.now();
      requestAnimationFrame(() => {
        // Is the new step already in the DOM of the frame about to be painted?
        const shown = document.querySelector('[data-testid="step-counter"] strong')?.textContent;
        if (shown === String(w.__lockstep.store.getState().cursor)) w.__inFrame++;
        ch.port2.postMessage(0);
      });
    }, { capture: true });
  })()`);
  const n = await page.evaluate(() => window.__lockstep?.store.getState().trace?.steps.length ?? 0);
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press(i % (2 * n) < n ? 'ArrowRight' : 'ArrowLeft');
    await page.waitForFunction(
      (k) => (window as unknown as { __lat: number[] }).__lat.length > k,
      i,
    );
  }
  return page.evaluate(() => {
    const w = window as unknown as { __lat: number[]; __inFrame: number };
    return { lat: w.__lat, inFrame: w.__inFrame };
  });
}

/** A 10,000-step trace made by repeating the ABA run's steps, loaded straight into the store. */
async function panZoom(page: Page): Promise<number[]> {
  await page.goto(`${BASE}#/aba?variant=buggy&schedule=canonical&step=0`);
  await page.waitForSelector('[data-testid="step-mark"]');
  await page.evaluate(() => {
    const store = window.__lockstep?.store;
    const t = store?.getState().trace;
    if (!store || !t) throw new Error('no trace');
    const steps = [];
    const status = [];
    for (let i = 0; steps.length < 10_000; i++) {
      const ev = t.steps[i % t.steps.length];
      if (!ev) break;
      steps.push({ ...ev, step: steps.length });
      status.push(t.status[i % t.steps.length] ?? []);
    }
    status.push(t.status[t.steps.length] ?? []);
    store.setState({ trace: { ...t, steps, status, violations: [], chapters: [] }, cursor: 5_000 });
  });
  await page.waitForTimeout(300);
  const box = await page.getByTestId('timeline').boundingBox();
  if (!box) throw new Error('no timeline');
  // A string, not a function: tsx's name-keeping helpers do not exist in the page.
  await page.evaluate(`(() => {
    const w = window;
    w.__frames = [];
    w.__on = true;
    w.__last = performance.now();
    requestAnimationFrame(function tick(now) {
      w.__frames.push(now - w.__last);
      w.__last = now;
      if (w.__on) requestAnimationFrame(tick);
    });
  })()`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 30; i++) await page.mouse.wheel(0, i < 15 ? -120 : 120);
  await page.mouse.down();
  for (let i = 0; i < 40; i++)
    await page.mouse.move(box.x + box.width / 2 - i * 15, box.y + box.height / 2);
  await page.mouse.up();
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __on: boolean };
    w.__on = false;
    return w.__frames.slice(1);
  });
}

/** Main-thread tasks over 50 ms while a long exploration runs and the user steps. */
async function exploreLongTasks(page: Page): Promise<number[]> {
  await page.goto(
    `${BASE}#/dirty-bit-scaled?variant=buggy&params=n:10,k:1&schedule=canonical&step=0`,
  );
  await page.waitForSelector('[data-testid="step-mark"]');
  await page.evaluate(`(() => {
    window.__lt = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push(e.duration); })
      .observe({ type: 'longtask' });
  })()`);
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  await page.waitForSelector('[data-testid="explore-progress"]');
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(100);
  }
  await page.getByRole('button', { name: 'Cancel' }).click();
  return page.evaluate('window.__lt') as Promise<number[]>;
}

/**
 * Main-thread tasks over 50 ms from the click to the rendered results of a
 * complete exploration (ABA buggy): the report is built in the worker, so the
 * page only receives and renders it.
 */
async function exploreToResults(page: Page): Promise<{ tasks: number[]; ms: number }> {
  await page.goto(`${BASE}#/aba?variant=buggy&schedule=canonical&step=0`);
  await page.waitForSelector('[data-testid="step-mark"]');
  await page.evaluate(`(() => {
    window.__lt = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push(e.duration); })
      .observe({ type: 'longtask' });
  })()`);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Explore all interleavings' }).click();
  await page.waitForSelector('[data-testid="explore-results"]', { timeout: 300_000 });
  const ms = Date.now() - t0;
  return { tasks: (await page.evaluate('window.__lt')) as number[], ms };
}

function bundleSize(): { raw: number; gzip: number; files: string[] } {
  const dir = 'dist/assets';
  // The initial page load: the scripts index.html loads (and preloads). Workers and
  // lazily imported chunks (the scenario editor) load later, when used.
  const html = readFileSync('dist/index.html', 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+\.js)"/g)].map(
    (m) => m[1] ?? '',
  );
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const b = readFileSync(join(dir, f));
    raw += b.length;
    gzip += gzipSync(b).length;
  }
  return { raw, gzip, files };
}

async function main() {
  // A server already on the port would be measured instead of this dist/ (an orphan of an
  // earlier run, another checkout's): refuse.
  if (
    await fetch(BASE).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`something already serves ${BASE}: stop it or set BENCH_PORT`);
  // vite itself, not npx: killing npx would leave vite serving on the port.
  const server = spawn(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'preview', '--strictPort', '--port', String(PORT)],
    { stdio: 'ignore' },
  );
  try {
    await waitForServer();
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    if (process.argv.includes('map')) {
      const figures = await outcomeMapFigures(page, BASE);
      await browser.close();
      printMap(figures);
      return;
    }
    if (process.argv.includes('open')) {
      const f = await openLinkFigures(page, BASE, 9);
      await browser.close();
      printOpen(f);
      return;
    }
    if (process.argv.includes('--only')) {
      const during = await exploreLongTasks(page);
      const done = await exploreToResults(page);
      await browser.close();
      const fmt = (xs: number[]) =>
        `${xs.length}${xs.length ? ` (longest ${r1(Math.max(...xs))} ms)` : ''}`;
      console.log(
        `| main-thread tasks over 50 ms while exploring (2 s, 20 steps) | ${fmt(during)} |`,
      );
      console.log(
        `| main-thread tasks over 50 ms, ABA buggy: click → results rendered (${done.ms} ms) | ${fmt(done.tasks)} |`,
      );
      return;
    }
    const open = await openLinkFigures(page, BASE);
    const { lat, inFrame } = await stepLatency(page, 200);
    const frames = await panZoom(page);
    const longTasks = await exploreLongTasks(page);
    const map = await outcomeMapFigures(page, BASE);
    await browser.close();
    const size = bundleSize();
    const result = {
      openLinkMs: { median: median(open.runs), runs: open.runs, phases: open.phases },
      stepLatencyMs: { median: r1(median(lat)), p95: r1(quantile(lat, 0.95)), samples: lat.length },
      stepsInNextFrame: inFrame,
      panZoomFrameMs: {
        median: r1(median(frames)),
        p95: r1(quantile(frames, 0.95)),
        max: r1(Math.max(...frames)),
        frames: frames.length,
      },
      exploreLongTasks: { count: longTasks.length, maxMs: r1(Math.max(0, ...longTasks)) },
      initialJs: { rawKb: r1(size.raw / 1024), gzipKb: r1(size.gzip / 1024) },
      outcomeMap: map,
    };
    if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
    else {
      console.log('| measure | figure |');
      console.log('| --- | --- |');
      printOpen(open);
      console.log(
        `| step latency, keypress → painted frame | median ${result.stepLatencyMs.median} ms, p95 ${result.stepLatencyMs.p95} ms (${lat.length} steps) |`,
      );
      console.log(
        `| steps whose update is in the first frame after the key | ${inFrame} of ${lat.length} |`,
      );
      console.log(
        `| pan/zoom frame time, 10,000-step trace | median ${result.panZoomFrameMs.median} ms, p95 ${result.panZoomFrameMs.p95} ms, max ${result.panZoomFrameMs.max} ms (${frames.length} frames) |`,
      );
      console.log(
        `| main-thread tasks over 50 ms while exploring (2 s, 20 steps) | ${longTasks.length}${longTasks.length ? ` (longest ${r1(Math.max(...longTasks))} ms)` : ''} |`,
      );
      console.log(
        `| initial JavaScript | ${result.initialJs.gzipKb} kB gzip (${result.initialJs.rawKb} kB raw) |`,
      );
      printMap(map);
    }
  } finally {
    server.kill();
  }
}

function printOpen(f: OpenFigures): void {
  const p = f.phases;
  console.log(
    `| open a shared link → timeline drawn | median ${median(f.runs)} ms (${f.runs.length} runs) |`,
  );
  console.log(
    `| the link's phases, ms after navigation start (medians) | engine worker started ${p.workerStarted}, its first reply ${p.firstReply}, the trace ${p.traceReply}, the step mark in the DOM ${p.stepMark} |`,
  );
}

function printMap(f: MapFigures): void {
  const fmt = (xs: number[]) =>
    `${xs.length}${xs.length ? ` (longest ${r1(Math.max(...xs))} ms)` : ''}`;
  console.log(
    `| outcome map, dirty-bit-scaled n=9 (${f.outcomes.toLocaleString('en-US')} final states): click → results (${f.exploreMs} ms), main-thread tasks over 50 ms | ${fmt(f.resultsLongTasks)} |`,
  );
  console.log(`| outcome map: open → every state painted | ${f.paintMs} ms |`);
  console.log(
    `| outcome map: hover → painted frame | median ${r1(median(f.hoverMs))} ms, p95 ${r1(quantile(f.hoverMs, 0.95))} ms (${f.hoverMs.length} moves) |`,
  );
  console.log(`| outcome map: tasks over 50 ms, open + paint + hovers | ${fmt(f.mapLongTasks)} |`);
}

await main();
