import { expect, test } from './fixtures';

/**
 * Opening a link paints the timeline in the first frame that shows the run:
 * it used to wait for its ResizeObserver's first report, which drew it one
 * frame (a whole-page layout and paint) later. An init script notes, at the
 * first animation frame after the page turns ready, whether the step marks
 * are already in the DOM: a rAF callback runs just before that frame's paint.
 */
test('a shared link paints the timeline in the first frame that shows the run', async ({
  app,
  page,
}) => {
  await page.addInitScript(`(() => {
    window.__firstFrame = null;
    new MutationObserver((_, o) => {
      const el = document.querySelector('[data-testid="app"]');
      if (el?.getAttribute('data-status') !== 'ready') return;
      o.disconnect();
      requestAnimationFrame(() => {
        window.__firstFrame = {
          marks: document.querySelectorAll('[data-testid="step-mark"]').length,
          code: document.querySelectorAll('[data-testid^="code-"]').length,
        };
      });
    }).observe(document, { subtree: true, childList: true, attributes: true });
  })()`);
  await app.open('#/aba?variant=buggy&schedule=canonical&step=40');
  const first = await page.waitForFunction(
    () => (window as { __firstFrame?: unknown }).__firstFrame,
  );
  const seen = (await first.jsonValue()) as { marks: number; code: number };
  // The rest of the run (its code panes) is in that frame, and so are the timeline's marks.
  expect(seen.code).toBeGreaterThan(0);
  expect(seen.marks).toBeGreaterThan(0);
});
