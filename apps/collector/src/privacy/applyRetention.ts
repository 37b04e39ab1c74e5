import { createState, foldEvents } from '@leadlight/scoring-core';
import { type AccountLeave, type AccountUpdate, syncAccounts } from '../accounts/syncAccounts.js';
import { createEffects, scoreContact } from '../contactLifecycle.js';
import type { LiveHub } from '../liveHub.js';
import type { RunningSite } from '../siteRegistry.js';
import type { Storage } from '../storage/storage.js';
import type { WebhookDispatcher } from '../webhookDispatcher.js';

const DAY_MS = 86_400_000;

/** Events deleted per transaction (each transaction stays short; ingest runs between them). */
export const RETENTION_BATCH = 2000;
/** Contacts or browsers recomputed per transaction (a contact's recompute reads all its remaining events). */
const RESCORE_PAGE = 50;

/** What one retention pass did for one site. */
export interface RetentionReport {
  siteKey: string;
  /** Events received before this time were deleted (null: the site keeps events until erased). */
  cutoff: number | null;
  deletedEvents: number;
  rescoredContacts: number;
  rescoredDevices: number;
  /** Anonymous visitors left with no events, removed. */
  removedContacts: number;
}

/** What a retention pass works with. */
export interface RetentionContext {
  storage: Storage;
  now: () => number;
  hub: LiveHub;
  webhooks: Pick<WebhookDispatcher, 'wake'>;
}

/**
 * Applies a site's `retentionDays`: deletes the events the collector received longer ago than that (except
 * `identify` events, which hold the traits), a bounded batch per transaction, then recomputes the contacts
 * and browsers that lost events from what remains (`foldEvents` over the stored events). Contacts keep
 * their traits, stage history, revenue and funnel dates; anonymous visitors left with no events are
 * removed. Rescores queued by an earlier, interrupted pass are finished too.
 */
export async function applyRetention(
  ctx: RetentionContext,
  site: RunningSite,
  options: { batchSize?: number; shouldStop?: () => boolean } = {},
): Promise<RetentionReport> {
  const siteKey = site.config.siteKey;
  const batchSize = options.batchSize ?? RETENTION_BATCH;
  const shouldStop = options.shouldStop ?? (() => false);
  const days = site.config.retentionDays;
  const report: RetentionReport = {
    siteKey,
    cutoff: days === undefined ? null : ctx.now() - days * DAY_MS,
    deletedEvents: 0,
    rescoredContacts: 0,
    rescoredDevices: 0,
    removedContacts: 0,
  };
  const { cutoff } = report;
  while (cutoff !== null && !shouldStop()) {
    const deleted = await ctx.storage.transaction((tx) => tx.pruneEvents(siteKey, cutoff, batchSize));
    report.deletedEvents += deleted;
    if (deleted < batchSize) break;
  }
  // Counted after commit: a PostgreSQL transaction that lost a race runs again.
  while (!shouldStop()) {
    const effects = createEffects();
    const page = await ctx.storage.transaction(async (tx) => {
      const ids = await tx.takeRescores(siteKey, 'contact', RESCORE_PAGE);
      const now = ctx.now();
      let rescored = 0;
      let removed = 0;
      const updates: AccountUpdate[] = [];
      const leaving: AccountLeave[] = [];
      for (const id of ids) {
        const contact = await tx.lockContact(id);
        if (!contact) continue;
        await scoreContact(tx, site, contact, [], { now, recompute: true }, effects);
        rescored += 1;
        if (contact.email === null && contact.stage === 'visitor' && contact.eventCount === 0) {
          // Webhooks are sent on stage changes, and a visitor has had none: no delivery names it.
          await tx.eraseContact(siteKey, contact.id, { outbox: false });
          leaving.push({ contactId: contact.id, into: null });
          removed += 1;
        } else updates.push({ contact, group: null, trusted: false });
      }
      // Their accounts lose what the pruned events had added.
      await syncAccounts(tx, site, updates, leaving, now, effects);
      return { taken: ids.length, rescored, removed };
    });
    report.rescoredContacts += page.rescored;
    report.removedContacts += page.removed;
    ctx.hub.publish(siteKey, effects.live);
    if (effects.webhooks > 0) ctx.webhooks.wake();
    if (page.taken < RESCORE_PAGE) break;
  }
  while (!shouldStop()) {
    const page = await ctx.storage.transaction(async (tx) => {
      const ids = await tx.takeRescores(siteKey, 'device', RESCORE_PAGE);
      let rescored = 0;
      for (const id of ids) {
        const device = await tx.lockDevice(siteKey, id);
        if (!device) continue;
        device.state = foldEvents(site.model, createState(site.model), await tx.deviceEvents(siteKey, id));
        await tx.saveDevice(device);
        rescored += 1;
      }
      return { taken: ids.length, rescored };
    });
    report.rescoredDevices += page.rescored;
    if (page.taken < RESCORE_PAGE) break;
  }
  return report;
}
