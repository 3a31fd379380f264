import { defineConfig, devices } from '@playwright/test';

// E2E_PORT lets several checkouts run their browser tests side by side.
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  // exactOptionalPropertyTypes rejects `workers: undefined`, so spread it in.
  ...(process.env.CI ? { workers: 2 } : {}),
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://localhost:${port}`,
    timezoneId: 'UTC',
    locale: 'en-US',
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download is not available here.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    // Serves dist/: build first (.ci/run does). Never reuse a server, which
    // could be an orphan serving a stale build.
    command: `npx vite preview --strictPort --port ${port}`,
    port,
    reuseExistingServer: false,
  },
});
