import { randomUUID } from 'node:crypto';
import type { WebhookEventType } from './config/validateWebhooks.js';
import type { Effects } from './contactLifecycle.js';
import type { RunningSite } from './siteRegistry.js';
import type { StorageTx } from './storage/storage.js';

/**
 * Queues one delivery of `type` to every webhook of the site that subscribes to it, in the transaction's
 * durable outbox (signed and retried by the dispatcher once it commits). The body is
 * `{id, type, createdAt, siteKey, data}`.
 */
export async function enqueueWebhooks(
  tx: StorageTx,
  site: RunningSite,
  type: WebhookEventType,
  data: Record<string, unknown>,
  at: number,
  effects: Effects,
): Promise<void> {
  for (const hook of site.config.webhooks) {
    if (!hook.events.includes(type)) continue;
    const id = randomUUID();
    const payload = JSON.stringify({ id, type, createdAt: at, siteKey: site.config.siteKey, data });
    await tx.enqueueWebhook({
      id,
      siteKey: site.config.siteKey,
      url: hook.url,
      eventType: type,
      payload,
      createdAt: at,
      attempts: 0,
      nextAttemptAt: at,
    });
    effects.webhooks += 1;
  }
}
