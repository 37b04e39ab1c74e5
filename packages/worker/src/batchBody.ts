import type { BatchRequest } from '@leadlight/scoring-core/wire';
import type { QueuedEvent } from './flushPolicy.js';
import type { QueueConfig } from './protocol.js';

/**
 * The body of `POST /v1/batch`, for batches and beacons alike: the site, when it was sent, the events, and for a
 * batch its visitor and the drops the collector has not heard of.
 */
export function batchBody(
  config: QueueConfig,
  sentAt: number,
  records: QueuedEvent[],
  anonymousId?: string,
  dropped?: number,
): string {
  // JSON.stringify leaves out the members left undefined: a beacon's visitor, no drops, a visitor not automated.
  return JSON.stringify({
    siteKey: config.siteKey,
    sentAt,
    anonymousId,
    events: records.map((r) => r.event),
    dropped: dropped || undefined,
    automated: config.automated || undefined,
  } satisfies BatchRequest);
}
