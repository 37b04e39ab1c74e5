import { isObject } from '@leadlight/scoring-core';
import { type ConfigProblem, checkUnknownFields, describeValue } from './configProblem.js';

/** The hand-off events a webhook can subscribe to. */
export type WebhookEventType = 'lead.mql' | 'lead.stage_changed' | 'lead.erased' | 'account.mqa';

/** One webhook endpoint of a site. */
export interface WebhookConfig {
  url: string;
  events: WebhookEventType[];
  /** Shared secret for the HMAC-SHA256 signature. */
  secret: string;
}

/** Every event type a webhook can subscribe to. */
export const WEBHOOK_EVENTS: readonly WebhookEventType[] = [
  'lead.mql',
  'lead.stage_changed',
  'lead.erased',
  'account.mqa',
];
/** A webhook without `events` gets these (`lead.erased`, `account.mqa` are asked for by name, so old receivers see no new type). */
const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEventType[] = ['lead.mql', 'lead.stage_changed'];
const WEBHOOK_FIELDS = new Set(['url', 'events', 'secret']);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function validateWebhook(input: unknown, path: string, out: ConfigProblem[]): WebhookConfig | undefined {
  if (!isObject(input)) {
    out.push({ path, message: `expected an object {url, events, secret}, got ${describeValue(input)}` });
    return undefined;
  }
  checkUnknownFields(input, WEBHOOK_FIELDS, path, out);
  const { url, events, secret } = input;
  if (typeof url !== 'string' || !isHttpUrl(url)) {
    out.push({ path: `${path}.url`, message: `expected an http(s) URL, got ${describeValue(url)}` });
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
            message: `expected one of ${WEBHOOK_EVENTS.join(', ')}, got ${describeValue(name)}`,
          });
        }
      });
    }
  }
  return { url: String(url), events: list, secret: String(secret) };
}

/** Checks a site's optional `webhooks` list; problems go to `out` with their path. */
export function validateWebhooks(input: unknown, path: string, out: ConfigProblem[]): WebhookConfig[] {
  const hooks: WebhookConfig[] = [];
  if (input === undefined) return hooks;
  if (!Array.isArray(input)) {
    out.push({ path, message: `expected a list, got ${describeValue(input)}` });
    return hooks;
  }
  input.forEach((hook, i) => {
    const checked = validateWebhook(hook, `${path}[${i}]`, out);
    if (checked) hooks.push(checked);
  });
  return hooks;
}
