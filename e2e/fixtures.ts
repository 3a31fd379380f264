import { test as base, expect, type Page } from '@playwright/test';

/** A page object for the app: opening links, waiting for the engine, stepping. */
export class Lockstep {
  readonly problems: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.problems.push(m.text());
    });
    page.on('pageerror', (e) => this.problems.push(e.message));
  }

  /** Opens a hash and waits for the explicit ready signal (never a fixed delay). */
  async open(hash = ''): Promise<void> {
    await this.page.goto(`/${hash}`);
    await this.ready();
  }

  async ready(): Promise<void> {
    await expect(this.page.getByTestId('app')).toHaveAttribute('data-status', 'ready');
    await expect(this.page.getByTestId('timeline')).toBeVisible();
  }

  /**
   * Waits until the page shows a scenario text. The page is already ready
   * when Run is clicked (the text is parsed before anything changes), so
   * `ready()` alone could pass on the scenario shown before.
   */
  async textShown(): Promise<void> {
    await expect(this.page.getByTestId('app')).toHaveAttribute('data-source', 'text');
    await this.ready();
  }

  counter() {
    return this.page.getByTestId('step-counter');
  }

  /** "step 12 / 70" → [12, 70] */
  async position(): Promise<[number, number]> {
    const text = (await this.counter().textContent()) ?? '';
    const m = /step\s*(\d+)\s*\/\s*(\d+)/.exec(text);
    if (!m) throw new Error(`step counter reads '${text}'`);
    return [Number(m[1]), Number(m[2])];
  }

  async press(key: string, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.page.keyboard.press(key);
  }

  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
  }
}

export const test = base.extend<{ app: Lockstep }>({
  app: async ({ page }, use) => {
    const app = new Lockstep(page);
    await use(app);
    expect(app.problems, 'console errors').toEqual([]);
  },
});

export { expect };
