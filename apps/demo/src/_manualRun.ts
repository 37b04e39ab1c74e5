import { readFileSync } from 'node:fs';
import { startCollector } from '@leadlight/collector';

const config = JSON.parse(readFileSync('/work/main/apps/demo/leadlight.config.json', 'utf8'));
if (process.env.BOTS) config.sites[0].bots = process.env.BOTS;
config.sites[0].origins.push('http://localhost:8799', 'http://127.0.0.1:8799');
const c = await startCollector({
  config,
  dbPath: '/tmp/demo-manual/ll.db',
  port: 8799,
  host: '127.0.0.1',
  staticDir: '/work/main/apps/demo/dist/site',
});
console.log('up', c.url);
