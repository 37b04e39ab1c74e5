// The vitest config the sdk, the worker and the end-to-end suites share: siblings resolve to their sources (the
// `source` condition, in the browser bundle and in Node), one file at a time, a JSON report for the CI summary.
// Plain JavaScript: vitest configs load it through Node before any TypeScript transform.

/** @param {import('vitest/config').ViteUserConfig['test']} [test] what differs from the shared settings */
export function testConfig(test = {}) {
  return {
    resolve: { conditions: ['source'] },
    // Node-side test code (a collector behind the browser suites) resolves siblings to their sources too.
    ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results.json' },
      // Browser suites share one Chromium-heavy machine: one file at a time keeps them steady.
      fileParallelism: false,
      testTimeout: 60_000,
      // expect.poll waits on real signals; its 1 s default is too short on two loaded cores.
      expect: { poll: { timeout: 20_000 } },
      hookTimeout: 120_000,
      ...test,
    },
  };
}
