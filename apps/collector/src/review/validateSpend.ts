import { isObject } from '@leadlight/scoring-core';
import { type ConfigProblem, checkUnknownFields } from '../config/configProblem.js';

/** What a site spends per first-touch channel and per campaign, for cost per MQL, SQL and customer. */
export interface SpendConfig {
  /** ISO 4217 code, e.g. `EUR`; shown next to the costs, never converted. */
  currency: string;
  /** Spend per channel as the review names it (`google / cpc`, `linkedin.com`, `direct`). */
  channels: Record<string, number>;
  /** Spend per `utm_campaign` of the first touch (lower-cased). */
  campaigns: Record<string, number>;
}

const SPEND_FIELDS = new Set(['currency', 'channels', 'campaigns']);

function amounts(input: unknown, path: string, out: ConfigProblem[]): Record<string, number> {
  const result: Record<string, number> = {};
  if (input === undefined) return result;
  if (!isObject(input)) {
    out.push({ path, message: 'expected an object of names to amounts, e.g. {"google / cpc": 1200}' });
    return result;
  }
  for (const [name, value] of Object.entries(input)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1e13) {
      out.push({
        path: `${path}[${JSON.stringify(name)}]`,
        message: `expected a non-negative amount, got ${JSON.stringify(value) ?? String(value)}`,
      });
    } else if (name.trim() === '' || name.length > 100) {
      out.push({
        path: `${path}[${JSON.stringify(name)}]`,
        message: 'expected a name of 1 to 100 characters',
      });
    } else result[name.trim().toLowerCase()] = value;
  }
  return result;
}

/**
 * Checks a site's optional `spend`: `{currency, channels?, campaigns?}`; problems go to `out` with their
 * path. Answers undefined when absent or invalid.
 */
export function validateSpend(input: unknown, path: string, out: ConfigProblem[]): SpendConfig | undefined {
  if (input === undefined) return undefined;
  if (!isObject(input)) {
    out.push({ path, message: 'expected an object {currency, channels?, campaigns?}' });
    return undefined;
  }
  const before = out.length;
  checkUnknownFields(input, SPEND_FIELDS, path, out);
  const { currency } = input;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    out.push({
      path: `${path}.currency`,
      message: `expected a three-letter currency code like "EUR", got ${JSON.stringify(currency) ?? 'nothing'}`,
    });
  }
  const channels = amounts(input.channels, `${path}.channels`, out);
  const campaigns = amounts(input.campaigns, `${path}.campaigns`, out);
  if (out.length > before) return undefined;
  return { currency: currency as string, channels, campaigns };
}
