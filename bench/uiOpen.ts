/**
 * Opening a shared link, in phases (part of bench/ui.ts; `--only open` runs it
 * alone). The page is not instrumented: an init script wraps `Worker` to time
 * the worker's start and its replies, and a MutationObserver notes when the
 * timeline's step mark is in the DOM. Times are from navigation start, medians.
 */
import type { Page } from '@playwright/test';

export interface OpenFigures {
  /** Date.now() around goto + waitForSelector, as bench:ui has always measured. */
  runs: number[];
  /** Medians, ms from navigation start. */
  phases: { workerStarted: number; firstReply: number; traceReply: number; stepMark: number };
}

// A string, not a function: tsx's name-keeping helpers do not exist in the page.
const PROBE = `(() => {
  const W = window.Worker;
  const ev = (window.__open = {});
  const now = () => performance.now();
  let replies = 0;
  window.Worker = class extends W {
    constructor(url, opts) {
      super(url, opts);
      if (!String(url).includes('engine.worker')) return;
      ev.workerStarted = now();
      this.addEventListener('message', () => {
        replies++;
        if (replies === 1) ev.firstReply = now();
        if (replies === 2) ev.traceReply = now();
      });
    }
  };
  new MutationObserver((_, o) => {
    if (!document.querySelector('[data-testid="step-mark"]')) return;
    ev.stepMark = now();
    o.disconnect();
  }).observe(document, { subtree: true, childList: true });
})()`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Opens the ABA link `runs` times in a page of its own (the probe stays out of later measures). */
export async function openLinkFigures(like: Page, base: string, runs = 5): Promise<OpenFigures> {
  const browser = like.context().browser();
  if (!browser) throw new Error('the page has no browser');
  const size = like.viewportSize();
  const page = await browser.newPage(size ? { viewport: size } : {});
  await page.addInitScript(PROBE);
  const times: number[] = [];
  const seen: Record<keyof OpenFigures['phases'], number[]> = {
    workerStarted: [],
    firstReply: [],
    traceReply: [],
    stepMark: [],
  };
  for (let i = 0; i < runs; i++) {
    const t0 = Date.now();
    await page.goto(`${base}#/aba?variant=buggy&schedule=canonical&step=40`);
    await page.waitForSelector('[data-testid="step-mark"]');
    times.push(Date.now() - t0);
    const ev = (await page.evaluate('window.__open')) as Partial<Record<keyof typeof seen, number>>;
    for (const k of Object.keys(seen) as (keyof typeof seen)[]) seen[k].push(ev[k] ?? NaN);
    await page.goto('about:blank');
  }
  await page.close();
  const r = (k: keyof typeof seen) => Math.round(median(seen[k]));
  return {
    runs: times,
    phases: {
      workerStarted: r('workerStarted'),
      firstReply: r('firstReply'),
      traceReply: r('traceReply'),
      stepMark: r('stepMark'),
    },
  };
}
