/** axe-core in the page, counted one way for every browser test that runs it. */
import type { Page } from '@playwright/test';

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<AxeResult> } }).axe;
    // label-content-name-mismatch is off by default (experimental): it is the check that
    // "Next ▶" is announced as "Next", not as something else.
    return axe.run({ rules: { 'label-content-name-mismatch': { enabled: true } } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id.startsWith('label-'))
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}
