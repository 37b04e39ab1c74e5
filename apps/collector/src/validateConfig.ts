import { isObject, type ScoringModel, validateModel } from '@leadlight/scoring-core';
import { type AccountsConfig, validateAccountsConfig } from './accounts/validateAccountsConfig.js';
import { type SpendConfig, validateSpend } from './review/validateSpend.js';

/** The hand-off events a webhook can subscribe to. */
export type WebhookEventType = 'lead.mql' | 'lead.stage_changed' | 'lead.erased' | 'account.mqa';

/** One webhook endpoint of a site. */
export interface WebhookConfig {
  url: string;
  events: WebhookEventType[];
  /** Shared secret for the HMAC-SHA256 signature. */
  secret: string;
}

/** Per site+IP rate limit of the site-key endpoints (a token bucket). */
export interface RateLimitConfig {
  /** Sustained requests per minute from one IP for this site. */
  perMinute: number;
  /** Requests allowed in a burst; defaults to a sixth of `perMinute`, at least 10. */
  burst: number;
}

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

/** The collector's configuration (DESIGN.md §6), validated. */
export interface CollectorConfig {
  sites: SiteConfig[];
}

/** One configuration problem with the exact path of the offending value. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export const WEBHOOK_EVENTS: readonly WebhookEventType[] = [
  'lead.mql',
  'lead.stage_changed',
  'lead.erased',
  'account.mqa',
];
/** A webhook without `events` gets these (`lead.erased`, `account.mqa` are asked for by name, so old receivers see no new type). */
const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEventType[] = ['lead.mql', 'lead.stage_changed'];
/** Longest retention accepted: 100 years. */
const MAX_RETENTION_DAYS = 36_500;
const DEFAULT_RATE_LIMIT: RateLimitConfig = { perMinute: 1200, burst: 200 };
const KEY_PATTERN = /^[A-Za-z0-9_.-]{1,200}$/;
/** Shortest secret key or identity secret accepted: shorter ones can be guessed. */
export const MIN_SECRET_LENGTH = 16;
const GENERATE_SECRET =
  "generate one with: node -e \"console.log(require('crypto').randomBytes(24).toString('base64url'))\" or: openssl rand -hex 24";
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
const WEBHOOK_FIELDS = new Set(['url', 'events', 'secret']);
const RATE_FIELDS = new Set(['perMinute', 'burst']);
const ERASURE_FIELDS = new Set(['suppress']);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function checkUnknown(
  obj: Record<string, unknown>,
  allowed: Set<string>,
  path: string,
  out: ConfigProblem[],
): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) {
      out.push({ path: `${path}.${key}`, message: `unknown field (allowed: ${[...allowed].join(', ')})` });
    }
  }
}

/** Checks an origin is exactly scheme://host[:port], as browsers send it in `Origin`. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function modelPath(base: string, path: string): string {
  if (path === '' || path === '$') return base;
  if (path.startsWith('[')) return `${base}${path}`;
  return `${base}.${path.replace(/^\$\.?/, '')}`;
}

function validateWebhook(input: unknown, path: string, out: ConfigProblem[]): WebhookConfig | undefined {
  if (!isObject(input)) {
    out.push({ path, message: `expected an object {url, events, secret}, got ${describe(input)}` });
    return undefined;
  }
  checkUnknown(input, WEBHOOK_FIELDS, path, out);
  const { url, events, secret } = input;
  if (typeof url !== 'string' || !isHttpUrl(url)) {
    out.push({ path: `${path}.url`, message: `expected an http(s) URL, got ${describe(url)}` });
  }
  if (typeof secret !== 'string' || secret.length < 8) {
    out.push({ path: `${path}.secret`, message: `expected a string of at least 8 characters` });
  }
  let list: WebhookEventType[] = [...DEFAULT_WEBHOOK_EVENTS];
  if (events !== undefined) {
    if (!Array.isArray(events) || events.length === 0) {
      out.push({
        path: `${path}.events`,
        message: `expected a non-empty list of ${WEBHOOK_EVENTS.join(', ')}`,
      });
    } else {
      list = [];
      events.forEach((name, i) => {
        if (typeof name === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(name)) {
          if (!list.includes(name as WebhookEventType)) list.push(name as WebhookEventType);
        } else {
          out.push({
            path: `${path}.events[${i}]`,
            message: `expected one of ${WEBHOOK_EVENTS.join(', ')}, got ${describe(name)}`,
          });
        }
      });
    }
  }
  return { url: String(url), events: list, secret: String(secret) };
}

function validateRateLimit(input: unknown, path: string, out: ConfigProblem[]): RateLimitConfig {
  if (input === undefined) return { ...DEFAULT_RATE_LIMIT };
  if (!isObject(input)) {
    out.push({ path, message: `expected an object {perMinute, burst?}, got ${describe(input)}` });
    return { ...DEFAULT_RATE_LIMIT };
  }
  checkUnknown(input, RATE_FIELDS, path, out);
  const { perMinute, burst } = input;
  if (typeof perMinute !== 'number' || !Number.isInteger(perMinute) || perMinute < 1 || perMinute > 1e9) {
    out.push({
      path: `${path}.perMinute`,
      message: `expected an integer from 1 to 1000000000, got ${describe(perMinute)}`,
    });
    return { ...DEFAULT_RATE_LIMIT };
  }
  if (
    burst !== undefined &&
    (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1 || burst > 1e9)
  ) {
    out.push({
      path: `${path}.burst`,
      message: `expected an integer from 1 to 1000000000, got ${describe(burst)}`,
    });
  }
  return { perMinute, burst: typeof burst === 'number' ? burst : Math.max(10, Math.ceil(perMinute / 6)) };
}

function validateSite(input: unknown, path: string, out: ConfigProblem[]): SiteConfig | undefined {
  if (!isObject(input)) {
    out.push({ path, message: `expected an object, got ${describe(input)}` });
    return undefined;
  }
  checkUnknown(input, SITE_FIELDS, path, out);
  const before = out.length;
  const { siteKey, secretKey, origins, model, bots, webhooks, identitySecret, identityVerificationDays } =
    input;
  for (const [name, value] of [
    ['siteKey', siteKey],
    ['secretKey', secretKey],
  ] as const) {
    if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
      out.push({
        path: `${path}.${name}`,
        message: `expected 1–200 characters of letters, digits, "_", "-" or ".", got ${name === 'secretKey' && typeof value === 'string' ? 'another string' : describe(value)}`,
      });
    } else if (name === 'secretKey' && value.length < MIN_SECRET_LENGTH) {
      out.push({ path: `${path}.secretKey`, message: tooShort(value) });
    }
  }
  if (identitySecret !== undefined) {
    if (typeof identitySecret !== 'string') {
      out.push({
        path: `${path}.identitySecret`,
        message: `expected a string of at least ${MIN_SECRET_LENGTH} characters, got ${describe(identitySecret)}`,
      });
    } else if (identitySecret.length < MIN_SECRET_LENGTH) {
      out.push({ path: `${path}.identitySecret`, message: tooShort(identitySecret) });
    }
  }
  const writeKey = input.writeKey;
  if (writeKey !== undefined) {
    if (typeof writeKey !== 'string' || !KEY_PATTERN.test(writeKey)) {
      out.push({
        path: `${path}.writeKey`,
        message: `expected 16–200 characters of letters, digits, "_", "-" or ".", got ${describe(writeKey)}`,
      });
    } else if (writeKey.length < MIN_SECRET_LENGTH) {
      out.push({ path: `${path}.writeKey`, message: tooShort(writeKey) });
    }
  }
  if (
    identityVerificationDays !== undefined &&
    (typeof identityVerificationDays !== 'number' ||
      !Number.isFinite(identityVerificationDays) ||
      identityVerificationDays <= 0)
  ) {
    out.push({
      path: `${path}.identityVerificationDays`,
      message: `expected a positive number of days, got ${describe(identityVerificationDays)}`,
    });
  }
  const originList: string[] = [];
  if (!Array.isArray(origins)) {
    out.push({ path: `${path}.origins`, message: `expected a list of origins, got ${describe(origins)}` });
  } else {
    origins.forEach((origin, i) => {
      if (typeof origin !== 'string' || !isOrigin(origin)) {
        out.push({
          path: `${path}.origins[${i}]`,
          message: `expected an origin like "https://example.com" (scheme, host, optional port; no path, no "*"), got ${describe(origin)}`,
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
    out.push({ path: `${path}.bots`, message: `expected "ignore" or "score", got ${describe(bots)}` });
  }
  const hooks: WebhookConfig[] = [];
  if (webhooks !== undefined) {
    if (!Array.isArray(webhooks)) {
      out.push({ path: `${path}.webhooks`, message: `expected a list, got ${describe(webhooks)}` });
    } else {
      webhooks.forEach((hook, i) => {
        const checked = validateWebhook(hook, `${path}.webhooks[${i}]`, out);
        if (checked) hooks.push(checked);
      });
    }
  }
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
      message: `expected a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got ${describe(retentionDays)}`,
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
    ...(typeof writeKey === 'string' ? { writeKey } : {}),
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
    out.push({ path, message: `expected an object {suppress}, got ${describe(input)}` });
    return { suppress: false };
  }
  checkUnknown(input, ERASURE_FIELDS, path, out);
  if (input.suppress !== undefined && typeof input.suppress !== 'boolean') {
    out.push({
      path: `${path}.suppress`,
      message: `expected true or false, got ${describe(input.suppress)}`,
    });
  }
  return { suppress: input.suppress === true };
}

/** The problem with a secret that is too short; never repeats the secret itself. */
function tooShort(secret: string): string {
  return `too short (${secret.length} characters): use at least ${MIN_SECRET_LENGTH} random characters; ${GENERATE_SECRET}`;
}

/** Validates a configuration object; every problem is reported with its path (`sites[0].model.rules[2]…`). */
export function validateConfig(
  input: unknown,
): { ok: true; config: CollectorConfig } | { ok: false; errors: ConfigProblem[] } {
  const errors: ConfigProblem[] = [];
  if (!isObject(input)) {
    return {
      ok: false,
      errors: [{ path: '(root)', message: `expected an object {sites: [...]}, got ${describe(input)}` }],
    };
  }
  for (const key of Object.keys(input)) {
    if (key !== 'sites') errors.push({ path: key, message: 'unknown field (allowed: sites)' });
  }
  const { sites } = input;
  if (!Array.isArray(sites) || sites.length === 0) {
    errors.push({ path: 'sites', message: `expected a non-empty list of sites, got ${describe(sites)}` });
    return { ok: false, errors };
  }
  const valid: SiteConfig[] = [];
  sites.forEach((site, i) => {
    const checked = validateSite(site, `sites[${i}]`, errors);
    if (checked) valid.push(checked);
  });
  // Keys must be unique, and a public site key must never double as anyone's secret key.
  const siteKeys = new Map<string, number>();
  const secretKeys = new Map<string, number>();
  sites.forEach((site, i) => {
    if (!isObject(site)) return;
    if (typeof site.siteKey === 'string') {
      const first = siteKeys.get(site.siteKey);
      if (first !== undefined) {
        errors.push({
          path: `sites[${i}].siteKey`,
          message: `duplicate site key (also sites[${first}].siteKey)`,
        });
      } else siteKeys.set(site.siteKey, i);
    }
    if (typeof site.secretKey === 'string') {
      const first = secretKeys.get(site.secretKey);
      if (first !== undefined) {
        errors.push({
          path: `sites[${i}].secretKey`,
          message: `duplicate secret key (also sites[${first}].secretKey)`,
        });
      } else secretKeys.set(site.secretKey, i);
    }
  });
  sites.forEach((site, i) => {
    if (!isObject(site)) return;
    if (typeof site.siteKey === 'string') {
      const clash = secretKeys.get(site.siteKey);
      if (clash !== undefined) {
        errors.push({
          path: `sites[${i}].siteKey`,
          message: `equals the secret key of sites[${clash}]: site keys are public, secret keys must differ from every site key`,
        });
      }
    }
    if (typeof site.writeKey === 'string') {
      const clash = siteKeys.get(site.writeKey) ?? secretKeys.get(site.writeKey);
      if (clash !== undefined) {
        errors.push({
          path: `sites[${i}].writeKey`,
          message: `equals a site key or secret key of sites[${clash}]: the write key must be a key of its own`,
        });
      }
    }
    if (typeof site.identitySecret === 'string') {
      const clash = siteKeys.get(site.identitySecret);
      if (clash !== undefined) {
        errors.push({
          path: `sites[${i}].identitySecret`,
          message: `equals the site key of sites[${clash}]: site keys are public, so anyone could sign identity tokens`,
        });
      }
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: { sites: valid } };
}
