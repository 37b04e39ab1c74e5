import { isObject } from '@leadlight/scoring-core';
import { type ConfigProblem, describeValue } from './config/configProblem.js';
import { type SiteConfig, validateSite } from './config/validateSite.js';
import { checkKeyClashes } from './config/validateSiteKeys.js';

/** The collector's configuration (DESIGN.md §6), validated. */
export interface CollectorConfig {
  sites: SiteConfig[];
}

/** Validates a configuration object; every problem is reported with its path (`sites[0].model.rules[2]…`). */
export function validateConfig(
  input: unknown,
): { ok: true; config: CollectorConfig } | { ok: false; errors: ConfigProblem[] } {
  const errors: ConfigProblem[] = [];
  if (!isObject(input)) {
    return {
      ok: false,
      errors: [{ path: '(root)', message: `expected an object {sites: [...]}, got ${describeValue(input)}` }],
    };
  }
  for (const key of Object.keys(input)) {
    if (key !== 'sites') errors.push({ path: key, message: 'unknown field (allowed: sites)' });
  }
  const { sites } = input;
  if (!Array.isArray(sites) || sites.length === 0) {
    errors.push({
      path: 'sites',
      message: `expected a non-empty list of sites, got ${describeValue(sites)}`,
    });
    return { ok: false, errors };
  }
  const valid: SiteConfig[] = [];
  sites.forEach((site, i) => {
    const checked = validateSite(site, `sites[${i}]`, errors);
    if (checked) valid.push(checked);
  });
  checkKeyClashes(sites, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: { sites: valid } };
}
