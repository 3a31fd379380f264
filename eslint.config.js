import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// The engine must stay a leaf: pure TS that runs the same in node, the worker
// and tests. Relative imports that climb out of src/engine are caught by depth
// (a file N folders below src/engine may use N levels of `../`, not N+1).
const engineOnlyPackages = {
  group: ['react', 'react/*', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*'].concat([
    'd3',
    'd3-*',
    'comlink',
    'node:*',
  ]),
  message: 'src/engine is pure: no UI, worker or node dependencies.',
};
const engineBoundary = [0, 1, 2, 3].map((depth) => ({
  files: [`src/engine/${'*/'.repeat(depth)}*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          engineOnlyPackages,
          {
            group: [`${'../'.repeat(depth + 1)}*`],
            message: 'src/engine must not import from outside src/engine.',
          },
        ],
      },
    ],
  },
}));

export default defineConfig(
  globalIgnores(['dist/', 'dist-single/', 'node_modules/', 'playwright-report/', 'test-results/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Hooks live in components (.tsx) and in useX.ts files.
    files: ['**/*.tsx', 'src/ui/**/use*.ts'],
    extends: [reactHooks.configs.flat['recommended-latest']],
  },
  ...engineBoundary,
);
