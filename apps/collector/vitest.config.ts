import { defineConfig } from 'vitest/config';
import { postgresUnavailableReason } from './test/postgresCluster.js';

// PostgreSQL-only suites, and the HTTP suites that run a second time on PostgreSQL.
const POSTGRES_ONLY = ['src/storage/postgres/**/*.test.ts', 'test/multiProcess*.test.ts'];
const HTTP_SUITES = [
  'test/accounts.test.ts',
  'test/api.test.ts',
  'test/identity.test.ts',
  'test/serverApi.test.ts',
  'test/ingest.test.ts',
  'test/modelReview.test.ts',
  'test/notes.test.ts',
  'test/oversizedBody.test.ts',
  'test/privacy.test.ts',
  'test/webhooks.test.ts',
];
const noPostgres = process.env.CI ? null : postgresUnavailableReason();
if (noPostgres) {
  process.stderr.write(
    `\n${'!'.repeat(78)}\n!! PostgreSQL suites SKIPPED: ${noPostgres}\n${'!'.repeat(78)}\n\n`,
  );
}

export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    testTimeout: 30_000,
    // expect.poll waits on real signals; its 1 s default is too short on two loaded cores.
    expect: { poll: { timeout: 20_000 } },
    hookTimeout: 30_000,
    // The suites start real servers and SQLite files; one file at a time keeps a 2-core machine calm.
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: POSTGRES_ONLY },
      },
      ...(noPostgres
        ? []
        : [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: [...POSTGRES_ONLY, ...HTTP_SUITES],
                env: { LEADLIGHT_TEST_STORAGE: 'postgres' },
                globalSetup: ['test/postgresGlobalSetup.ts'],
                setupFiles: ['test/postgresSetup.ts'],
              },
            },
          ]),
    ],
  },
});
