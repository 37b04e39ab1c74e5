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
  batch?: { anonymousId: string; dropped: number },
): string {
  const body: BatchRequest = {
    siteKey: config.siteKey,
    sentAt,
    ...(batch ? { anonymousId: batch.anonymousId } : {}),
    events: records.map((r) => r.event),
    ...(batch?.dropped ? { dropped: batch.dropped } : {}),
    ...(config.automated ? { automated: true } : {}),
  };
  return JSON.stringify(body);
}
