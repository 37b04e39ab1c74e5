import { type ConfigProblem, unknownField } from '../config/configProblem.js';

/** A site's account settings: which email domains form accounts beside the free-mail list. */
export interface AccountsConfig {
  /** Domains that form accounts even though the free-mail list names them. */
  allowDomains: string[];
  /** Domains that never form accounts (your own company, an ISP the list misses). */
  denyDomains: string[];
}

const FIELDS = ['allowDomains', 'denyDomains'] as const;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Checks a site's optional `accounts`: `{allowDomains?, denyDomains?}`, lists of domains (lower-cased);
 * problems go to `out` with their path.
 */
export function validateAccountsConfig(
  input: unknown,
  path: string,
  out: ConfigProblem[],
): AccountsConfig | undefined {
  if (input === undefined) return undefined;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    out.push({ path, message: 'expected an object {allowDomains?, denyDomains?}' });
    return undefined;
  }
  const config: AccountsConfig = { allowDomains: [], denyDomains: [] };
  for (const [key, value] of Object.entries(input)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      out.push(unknownField(path, key, FIELDS));
      continue;
    }
    if (!Array.isArray(value)) {
      out.push({ path: `${path}.${key}`, message: 'expected a list of domains like ["example.com"]' });
      continue;
    }
    value.forEach((domain, i) => {
      const normalized = typeof domain === 'string' ? domain.trim().toLowerCase() : '';
      if (!DOMAIN.test(normalized))
        out.push({
          path: `${path}.${key}[${i}]`,
          message: `expected a domain like "example.com", got ${JSON.stringify(domain) ?? String(domain)}`,
        });
      else config[key as (typeof FIELDS)[number]].push(normalized);
    });
  }
  return config;
}
