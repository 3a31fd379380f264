import type { AppStore } from './store';

/**
 * The typed test hook: main.tsx puts the store on `window.__lockstep` so
 * Playwright tests and the UI benchmark can read state and wait on it. The
 * UI itself never reads it.
 */
export interface TestApi {
  store: AppStore;
  /** Kills the engine worker as a crash would: every later engine call fails (tests of lost edits). */
  crashEngineWorker(): void;
}

declare global {
  interface Window {
    __lockstep?: TestApi;
  }
}
