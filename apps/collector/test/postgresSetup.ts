import { beforeEach, inject } from 'vitest';

// Setup file of the `postgres` test project: without a server (outside CI only), every test is skipped
// — the global setup already said so loudly.
beforeEach((context) => {
  if (!inject('postgresUrl')) context.skip();
});
