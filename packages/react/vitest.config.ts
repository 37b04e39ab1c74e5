import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    // jsdom suites say so in their first line (`// @vitest-environment jsdom`); the rest run in node,
    // where neither `window` nor `document` exists (server rendering).
    include: ['src/**/*.test.{ts,tsx}'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    fileParallelism: false,
    testTimeout: 30_000,
  },
});
