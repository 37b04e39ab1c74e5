// `pnpm --filter @leadlight/react-example dev`: a collector (SQLite under ./data) and the example site.
import { mkdirSync } from 'node:fs';
import { startCollector } from '@leadlight/collector';
import { startExampleServer } from './exampleServer.js';
import { EXAMPLE_SITE, exampleConfig } from './exampleSite.js';

const port = Number(process.env.PORT ?? 3000);
const collectorPort = Number(process.env.COLLECTOR_PORT ?? 8788);
mkdirSync('data', { recursive: true });
const collector = await startCollector({
  config: exampleConfig(`http://127.0.0.1:${port}`),
  dbPath: 'data/react-example.db',
  port: collectorPort,
});
const site = await startExampleServer({
  endpoint: collector.url,
  siteKey: EXAMPLE_SITE.siteKey,
  identitySecret: EXAMPLE_SITE.identitySecret,
  port,
});
console.log(`example: ${site.url}/pricing (collector ${collector.url})`);
