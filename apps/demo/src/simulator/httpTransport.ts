import type { BatchAnswer, ContactDetail, ErrorAnswer, OutcomesAnswer } from '@leadlight/scoring-core/wire';
import { DemoError } from '../demoError.js';
import type { SalesAction } from './personas.js';
import type { DatedOutcome } from './salesOutcomes.js';
import type { PlannedBatch, TrafficTransport } from './traffic.js';

/** How many times a request refused with 429 is tried again. */
const MAX_RETRIES = 20;

/** Options of `httpTransport`. */
export interface HttpTransportOptions {
  /** Collector base URL ("" for the page's own origin). */
  baseUrl: string;
  siteKey: string;
  /** Bearer secret for sales actions; without it the request relies on the dashboard's session cookie. */
  secretKey?: string;
  /** Origin header to send (Node only: browsers set it themselves); must be one of the site's `origins`. */
  origin?: string;
  /** Sends a browser-like User-Agent per persona (Node only), so `bots: "ignore"` scores the traffic. */
  sendUserAgent?: boolean;
  fetch?: typeof fetch;
}

/**
 * The simulator's HTTP transport: `POST /v1/batch` with the site key; `POST /v1/leads/:id/stage` and
 * `POST /v1/outcomes` for sales.
 */
export function httpTransport(options: HttpTransportOptions): TrafficTransport {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const call = async <T>(
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Partial<T>> => {
    let response: Response;
    // A busy collector answers 429 with Retry-After: wait as a browser's queue would (ids make retries safe).
    for (let attempt = 0; ; attempt++) {
      response = await doFetch(`${options.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.origin ? { origin: options.origin } : {}),
          ...headers,
        },
        body: JSON.stringify(body),
        credentials: 'same-origin',
      });
      if (response.status !== 429 || attempt >= MAX_RETRIES) break;
      await response.text();
      const seconds = Number(response.headers.get('retry-after'));
      await new Promise((resolve) =>
        setTimeout(resolve, (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000),
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text.slice(0, 200);
      try {
        message = (JSON.parse(text) as Partial<ErrorAnswer>).error?.message ?? message;
      } catch {}
      throw new DemoError('http', `${path}: ${response.status} ${message}`);
    }
    return text ? (JSON.parse(text) as T) : {};
  };
  return {
    async sendBatch(batch: PlannedBatch, userAgent: string) {
      const answer = await call<BatchAnswer>(
        '/v1/batch',
        { siteKey: options.siteKey, sentAt: batch.sentAt, events: batch.events },
        options.sendUserAgent ? { 'user-agent': userAgent } : {},
      );
      const { rejected } = answer;
      if (rejected?.length)
        throw new DemoError(
          'rejected',
          `/v1/batch: event ${rejected[0]?.index} rejected: ${rejected[0]?.error}`,
        );
    },
    async contactIdOf(anonymousId: string) {
      const path = `/v1/visitors/${encodeURIComponent(anonymousId)}`;
      const response = await doFetch(`${options.baseUrl}${path}`, {
        headers: options.secretKey ? { authorization: `Bearer ${options.secretKey}` } : {},
        credentials: 'same-origin',
      });
      if (response.status === 404) return null;
      if (!response.ok) throw new DemoError('http', `${path}: ${response.status}`);
      return ((await response.json()) as ContactDetail).id;
    },
    async setStage(contactId: string, action: SalesAction) {
      await call(
        `/v1/leads/${encodeURIComponent(contactId)}/stage`,
        {
          stage: action.stage,
          reason: action.reason,
          ...(action.revenue !== undefined ? { revenue: action.revenue } : {}),
        },
        options.secretKey ? { authorization: `Bearer ${options.secretKey}` } : {},
      );
    },
    async recordOutcomes(outcomes: DatedOutcome[]) {
      const answer = await call<OutcomesAnswer>(
        '/v1/outcomes',
        { items: outcomes },
        options.secretKey ? { authorization: `Bearer ${options.secretKey}` } : {},
      );
      return answer.results ?? [];
    },
  };
}
