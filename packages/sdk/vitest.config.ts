import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  // Node-side test code (the collector behind the browser suites) resolves siblings to their sources too.
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    // jsdom suites say so in their first line (`// @vitest-environment jsdom`); browser suites run in node.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // Browser suites share one Chromium-heavy machine: one file at a time keeps them steady.
    fileParallelism: false,
    testTimeout: 60_000,
    // expect.poll waits on real signals; its 1 s default is too short on two loaded cores.
    expect: { poll: { timeout: 20_000 } },
    hookTimeout: 120_000,
  },
});
