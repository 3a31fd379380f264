/**
 * A Chromium performance trace of opening the ABA link once, after two warm
 * opens, for ui.perfetto.dev or chrome://tracing: where the link's time goes
 * (the page's tasks, the engine worker's, layout and paint). With
 * `--profile` the trace also holds V8's CPU samples (they slow the page).
 *
 *   npm run build && npx vite preview --port P &
 *   BENCH_PORT=P npx tsx bench/uiOpenTrace.ts [OUT.json] [--profile]
 */
import { launchChromium } from './chromium';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const PORT = Number(process.env.BENCH_PORT ?? 4179);
const LINK = `http://localhost:${PORT}/#/aba?variant=buggy&schedule=canonical&step=40`;
const out =
  process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'test-results/open-trace.json';
const categories = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'loading',
  'blink.user_timing',
  ...(process.argv.includes('--profile') ? ['disabled-by-default-v8.cpu_profiler'] : []),
];

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
for (let i = 0; i < 2; i++) {
  await page.goto(LINK);
  await page.waitForSelector('[data-testid="step-mark"]');
  await page.goto('about:blank');
}
const cdp = await page.context().newCDPSession(page);
const events: unknown[] = [];
cdp.on('Tracing.dataCollected', (e: { value: unknown[] }) => events.push(...e.value));
await cdp.send('Tracing.start', {
  traceConfig: { includedCategories: categories },
  transferMode: 'ReportEvents',
});
const t0 = Date.now();
await page.goto(LINK);
await page.waitForSelector('[data-testid="step-mark"]');
const ms = Date.now() - t0;
const complete = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
await cdp.send('Tracing.end');
await complete;
await browser.close();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ traceEvents: events }));
console.log(`opened in ${ms} ms (traced); ${events.length} events in ${out}`);
