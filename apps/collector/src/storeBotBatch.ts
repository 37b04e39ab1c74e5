import type { BatchInput } from './ingestBatch.js';
import type { StorageTx } from './storage/storage.js';

/** Counts the events the browser queue dropped since its last batch. */
export async function countDropped(tx: StorageTx, input: BatchInput): Promise<void> {
  if (input.dropped > 0) await tx.addCounter(input.site.config.siteKey, 'browserDropped', input.dropped);
}

/**
 * Stores a bot's batch flagged and unscored, and counts its events and (once, by its first stored event)
 * the bot itself. Answers, per event, whether it was stored now.
 */
export async function storeBotBatch(tx: StorageTx, input: BatchInput): Promise<boolean[]> {
  const siteKey = input.site.config.siteKey;
  const unseen = await tx.newBotVisitors(siteKey, [...new Set(input.events.map((e) => e.event.anonymousId))]);
  const inserted = await tx.insertEvents(
    input.events.map(({ event, flags, json }) => ({
      siteKey,
      event,
      contactId: null,
      receivedAt: input.receivedAt,
      bot: true,
      flags,
      json,
    })),
  );
  await countDropped(tx, input);
  if (input.events.length > 0) await tx.addCounter(siteKey, 'botEvents', inserted.filter(Boolean).length);
  // A bot counts once, by its first stored event: ids whose events all existed already stay unseen next time.
  const visitors = new Set(
    input.events
      .filter((e, i) => inserted[i] && unseen.has(e.event.anonymousId))
      .map((e) => e.event.anonymousId),
  );
  if (visitors.size > 0) await tx.addCounter(siteKey, 'botVisitors', visitors.size);
  return inserted;
}
