// `pnpm start`: runs the collector with the demo config, an embedded SQLite file and the built site, then
// prints where everything is. The secret key is printed here, in the operator's terminal, and nowhere else.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDemoSite } from './demoConfig.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const port = Number(process.env.PORT ?? 8787);
const db = process.env.LEADLIGHT_DB ?? join(root, 'data', 'leadlight.db');
const staticDir = join(root, 'dist', 'site');
const config = join(root, 'leadlight.config.json');
if (!existsSync(join(staticDir, 'index.html'))) {
  console.error(`start: ${staticDir} is missing; run \`pnpm build\` first (the root \`pnpm start\` does).`);
  process.exit(1);
}
mkdirSync(dirname(db), { recursive: true });
const site = readDemoSite(config);
// The collector's bin through this package's own dependency link, so `pnpm start` needs no global install.
const bin = join(root, 'node_modules', '@leadlight', 'collector', 'bin', 'leadlight-collector.js');

const child = spawn(
  process.execPath,
  [bin, '--config', config, '--db', db, '--port', String(port), '--static', staticDir],
  { stdio: 'inherit', env: process.env },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

const base = `http://localhost:${port}`;
let ready = false;
for (let attempt = 0; attempt < 200 && !ready; attempt++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) {
      console.log(
        [
          '',
          '  Leadlight demo is running',
          '',
          `  Site        ${base}/`,
          `  Dashboard   ${base}/dashboard/`,
          `  Log in with the demo secret key:  ${site.secretKey}`,
          `  (it stays in this terminal; the dashboard exchanges it for an HttpOnly session cookie)`,
          '',
          `  Fill the dashboard:   pnpm simulate        (in another terminal)`,
          `  Database:             ${db}`,
          '',
        ].join('\n'),
      );
      ready = true;
      continue;
    }
  } catch {
    // Not listening yet.
  }
  await new Promise((resolve) => setTimeout(resolve, 150));
}
if (!ready)
  console.error(`start: ${base}/healthz did not answer within 30 s; see the collector's output above.`);
