import { isObject, type ScoringModel, validateModel } from '@leadlight/scoring-core';
import { type AccountsConfig, validateAccountsConfig } from '../accounts/validateAccountsConfig.js';
import { type SpendConfig, validateSpend } from '../review/validateSpend.js';
import { type ConfigProblem, checkUnknownFields, describeValue } from './configProblem.js';
import { type RateLimitConfig, validateRateLimit } from './validateRateLimit.js';
import { checkSiteKeys } from './validateSiteKeys.js';
import { validateWebhooks, type WebhookConfig } from './validateWebhooks.js';

/** One site as the collector runs it (defaults filled in). */
export interface SiteConfig {
  siteKey: string;
  secretKey: string;
  origins: string[];
  model: ScoringModel;
  bots: 'ignore' | 'score';
  webhooks: WebhookConfig[];
  rateLimit: RateLimitConfig;
  /** HMAC-SHA256 key that verifies visitors' identity tokens; without it none is verified. */
  identitySecret?: string;
  /** The key of server-side calls (Segment spec, HTTP Basic user name): writes events, reads nothing. */
  writeKey?: string;
  /** How many days a verified identity holds (default 30). */
  identityVerificationDays: number;
  /** Events received longer ago than this many days are deleted (identify events excepted); none when absent. */
  retentionDays?: number;
  /** What an erasure leaves behind: with `suppress`, later events of the erased browsers and emails are dropped. */
  erasure: { suppress: boolean };
  /** Marketing spend per channel and campaign, for the model review's cost figures. */
  spend?: SpendConfig;
  /** Which email domains form accounts beside the free-mail list. */
  accounts?: AccountsConfig;
}

/** Longest retention accepted: 100 years. */
const MAX_RETENTION_DAYS = 36_500;
const DEFAULT_IDENTITY_DAYS = 30;
const SITE_FIELDS = new Set([
  'siteKey',
  'secretKey',
  'origins',
  'model',
  'bots',
  'webhooks',
  'rateLimit',
  'identitySecret',
  'identityVerificationDays',
  'writeKey',
  'retentionDays',
  'erasure',
  'spend',
  'accounts',
]);
const ERASURE_FIELDS = new Set(['suppress']);

/** Checks an origin is exactly scheme://host[:port], as browsers send it in `Origin`. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

function modelPath(base: string, path: string): string {
  if (path === '' || path === '$') return base;
  if (path.startsWith('[')) return `${base}${path}`;
  return `${base}.${path.replace(/^\$\.?/, '')}`;
}

/** Checks one site and fills in its defaults; problems go to `out` with their path. */
export function validateSite(input: unknown, path: string, out: ConfigProblem[]): SiteConfig | undefined {
  if (!isObject(input)) {
    out.push({ path, message: `expected an object, got ${describeValue(input)}` });
    return undefined;
  }
  checkUnknownFields(input, SITE_FIELDS, path, out);
  const before = out.length;
  const { siteKey, secretKey, origins, model, bots, webhooks, identitySecret, identityVerificationDays } =
    input;
  checkSiteKeys(input, path, out);
  if (
    identityVerificationDays !== undefined &&
    (typeof identityVerificationDays !== 'number' ||
      !Number.isFinite(identityVerificationDays) ||
      identityVerificationDays <= 0)
  ) {
    out.push({
      path: `${path}.identityVerificationDays`,
      message: `expected a positive number of days, got ${describeValue(identityVerificationDays)}`,
    });
  }
  const originList: string[] = [];
  if (!Array.isArray(origins)) {
    out.push({
      path: `${path}.origins`,
      message: `expected a list of origins, got ${describeValue(origins)}`,
    });
  } else {
    origins.forEach((origin, i) => {
      if (typeof origin !== 'string' || !isOrigin(origin)) {
        out.push({
          path: `${path}.origins[${i}]`,
          message: `expected an origin like "https://example.com" (scheme, host, optional port; no path, no "*"), got ${describeValue(origin)}`,
        });
      } else originList.push(origin);
    });
  }
  let validModel: ScoringModel | undefined;
  if (model === undefined) {
    out.push({ path: `${path}.model`, message: 'missing: every site needs a scoring model (DESIGN.md §3)' });
  } else {
    const checked = validateModel(model);
    if (checked.ok) validModel = checked.model;
    else
      for (const e of checked.errors)
        out.push({ path: modelPath(`${path}.model`, e.path), message: e.message });
  }
  if (bots !== undefined && bots !== 'ignore' && bots !== 'score') {
    out.push({ path: `${path}.bots`, message: `expected "ignore" or "score", got ${describeValue(bots)}` });
  }
  const hooks = validateWebhooks(webhooks, `${path}.webhooks`, out);
  const rateLimit = validateRateLimit(input.rateLimit, `${path}.rateLimit`, out);
  const { retentionDays } = input;
  if (
    retentionDays !== undefined &&
    (typeof retentionDays !== 'number' ||
      !Number.isInteger(retentionDays) ||
      retentionDays < 1 ||
      retentionDays > MAX_RETENTION_DAYS)
  ) {
    out.push({
      path: `${path}.retentionDays`,
      message: `expected a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got ${describeValue(retentionDays)}`,
    });
  }
  const erasure = validateErasure(input.erasure, `${path}.erasure`, out);
  const spend = validateSpend(input.spend, `${path}.spend`, out);
  const accounts = validateAccountsConfig(input.accounts, `${path}.accounts`, out);
  if (out.length > before || !validModel) return undefined;
  return {
    siteKey: siteKey as string,
    secretKey: secretKey as string,
    origins: originList,
    model: validModel,
    bots: bots === 'score' ? 'score' : 'ignore',
    webhooks: hooks,
    rateLimit,
    ...(typeof identitySecret === 'string' ? { identitySecret } : {}),
    ...(typeof input.writeKey === 'string' ? { writeKey: input.writeKey } : {}),
    identityVerificationDays:
      typeof identityVerificationDays === 'number' ? identityVerificationDays : DEFAULT_IDENTITY_DAYS,
    ...(typeof retentionDays === 'number' ? { retentionDays } : {}),
    erasure,
    ...(spend ? { spend } : {}),
    ...(accounts ? { accounts } : {}),
  };
}

function validateErasure(input: unknown, path: string, out: ConfigProblem[]): { suppress: boolean } {
  if (input === undefined) return { suppress: false };
  if (!isObject(input)) {
    out.push({ path, message: `expected an object {suppress}, got ${describeValue(input)}` });
    return { suppress: false };
  }
  checkUnknownFields(input, ERASURE_FIELDS, path, out);
  if (input.suppress !== undefined && typeof input.suppress !== 'boolean') {
    out.push({
      path: `${path}.suppress`,
      message: `expected true or false, got ${describeValue(input.suppress)}`,
    });
  }
  return { suppress: input.suppress === true };
}
