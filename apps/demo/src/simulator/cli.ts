// `pnpm simulate`: replays the personas against a running demo collector so the dashboard fills up.
import { parseArgs } from 'node:util';
import { readDemoSite } from '../demoConfig.js';
import { CROWD_PERSONA } from './crowd.js';
import { httpTransport } from './httpTransport.js';
import { PERSONAS } from './personas.js';
import { planTraffic, runTraffic } from './traffic.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.LEADLIGHT_URL ?? 'http://localhost:8787' },
    rounds: { type: 'string', default: '2' },
    crowd: { type: 'string' },
    seed: { type: 'string' },
    persona: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(
    `pnpm simulate [--url http://localhost:8787] [--rounds 2] [--crowd 200] [--seed 42] [--persona id ...]\n\nPersonas:`,
  );
  for (const p of PERSONAS) console.log(`  ${p.id.padEnd(24)} ${p.label}`);
  console.log(`\n--crowd N adds N ${CROWD_PERSONA.label.toLowerCase()} (default 200, 0 with --persona).`);
  process.exit(0);
}

const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50) {
  console.error(`--rounds: expected a whole number from 1 to 50, got "${values.rounds}"`);
  process.exit(2);
}
// Enough prospects that the model review has 30 SQLs and 30 others to learn from.
const crowd = Number(values.crowd ?? (values.persona ? 0 : 200));
if (!Number.isInteger(crowd) || crowd < 0 || crowd > 5000) {
  console.error(`--crowd: expected a whole number from 0 to 5000, got "${values.crowd}"`);
  process.exit(2);
}
const site = readDemoSite();
const baseUrl = values.url.replace(/\/$/, '');
const visitors = planTraffic({
  now: Date.now(),
  origin: new URL(baseUrl).origin,
  rounds,
  crowd,
  ...(values.seed ? { seed: Number(values.seed) } : {}),
  ...(values.persona ? { personas: values.persona } : {}),
});
// The secret key comes from the local config file: this runs in the operator's terminal, never in a page.
const transport = httpTransport({
  baseUrl,
  siteKey: site.siteKey,
  secretKey: site.secretKey,
  origin: site.origins.includes(new URL(baseUrl).origin) ? new URL(baseUrl).origin : site.origins[0],
  sendUserAgent: true,
});
console.log(
  `Replaying ${visitors.length} visitors (${rounds} round${rounds > 1 ? 's' : ''}) into ${baseUrl} …`,
);
try {
  const report = await runTraffic(visitors, transport);
  console.log(
    `Sent ${report.events} events in ${report.batches} batches for ${report.visitors} visitors; ${report.salesActions} sales actions; ${report.outcomes} CRM outcomes.`,
  );
  for (const failure of report.failures) console.error(`  failed: ${failure}`);
  console.log(`Open ${baseUrl}/dashboard/ to see them.`);
  process.exitCode = report.failures.length ? 1 : 0;
} catch (error) {
  console.error(`simulate: ${(error as Error).message} (is \`pnpm start\` running at ${baseUrl}?)`);
  process.exitCode = 1;
}
