import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The first-run tests against the dev server that `npm start` runs, on the
// same E2E_PORT as the build's tests (run one config at a time). Only the
// first-run file: the other specs test the build, and vite's on-demand
// transforms would make them slow.
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  ...base,
  testMatch: 'first-run.spec.ts',
  // The first request makes vite transform the app and its worker.
  timeout: 60_000,
  webServer: {
    command: `npx vite --strictPort --port ${port}`,
    port,
    reuseExistingServer: false,
  },
});
