import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs so dist/ works from any sub-path or static host.
  base: './',
  worker: { format: 'es' },
  test: {
    // Never e2e/*.spec.ts: those are Playwright's and need a browser.
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts'],
    environment: 'node',
    // Exhaustive explorations of the ABA scenario take seconds on a 2-core machine.
    testTimeout: 60_000,
  },
});
