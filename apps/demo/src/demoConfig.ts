import { readFileSync } from 'node:fs';
import { DemoError } from './demoError.js';

/** The one site of the demo's collector config (DESIGN.md §6). */
export interface DemoSite {
  siteKey: string;
  secretKey: string;
  origins: string[];
  bots?: 'ignore' | 'score';
  model: unknown;
}

/** The config file `pnpm start` passes to the collector. */
export const CONFIG_PATH = new URL('../leadlight.config.json', import.meta.url);

/** Reads the demo config and returns its first site, saying which field is wrong when it is malformed. */
export function readDemoSite(path: URL | string = CONFIG_PATH): DemoSite {
  const config = JSON.parse(readFileSync(path, 'utf8')) as { sites?: unknown };
  const site = Array.isArray(config.sites) ? (config.sites[0] as Partial<DemoSite> | undefined) : undefined;
  if (!site) throw new DemoError('config', `${String(path)}: sites[0]: expected a site object`);
  for (const key of ['siteKey', 'secretKey'] as const) {
    if (typeof site[key] !== 'string')
      throw new DemoError('config', `${String(path)}: sites[0].${key}: expected a string`);
  }
  if (!Array.isArray(site.origins))
    throw new DemoError('config', `${String(path)}: sites[0].origins: expected a list`);
  return site as DemoSite;
}
