import type { ErasureAnswer } from '@leadlight/scoring-core/wire';
import { syncAccounts } from '../accounts/syncAccounts.js';
import type { AppContext } from '../appContext.js';
import { CollectorError } from '../collectorError.js';
import { createEffects, type Effects, scoreContact } from '../contactLifecycle.js';
import { enqueueWebhooks } from '../enqueueWebhooks.js';
import type { RunningSite } from '../siteRegistry.js';
import type { ContactRecord, ErasureCounts, StorageTx } from '../storage/storage.js';
import { emailHash, suppressionKey } from './suppressionKey.js';

type Target = { contactId: string } | { email: string };

/**
 * Erases one contact (by id, or by an email it holds) and everything held about it, in one transaction,
 * with its audit entry, suppression keys (when the site asks) and `lead.erased` webhooks. Null when the
 * site holds no such contact.
 */
export async function eraseContact(
  ctx: AppContext,
  site: RunningSite,
  target: Target,
  by: string,
): Promise<ErasureAnswer | null> {
  return audited(ctx, site, by, 'erase_contact', async (tx, now, effects) => {
    const id =
      'email' in target
        ? await tx.contactIdForEmail(site.config.siteKey, target.email.trim().toLowerCase())
        : target.contactId;
    const contact = id === null ? null : await tx.lockContact(id);
    if (!contact || contact.siteKey !== site.config.siteKey) {
      if ('email' in target) return null;
      throw new CollectorError('not_found', 'contact merged or removed meanwhile: retry');
    }
    return { contactId: contact.id, erased: await eraseLocked(tx, site, contact, now, by, effects) };
  });
}

/**
 * Erases one browser: its events and device row. The contacts that lost events are rescored from what
 * remains; its contact goes too when this was its only browser and it has no email. Null when the site
 * holds nothing of this anonymous id.
 */
export async function eraseVisitor(
  ctx: AppContext,
  site: RunningSite,
  anonymousId: string,
  by: string,
): Promise<ErasureAnswer | null> {
  return audited(ctx, site, by, 'erase_visitor', async (tx, now, effects) => {
    const siteKey = site.config.siteKey;
    const device = await tx.eraseDevice(siteKey, anonymousId);
    if (!device) return null;
    const erased = { ...device.counts };
    if (site.config.erasure.suppress)
      await tx.addSuppressions(siteKey, [suppressionKey(siteKey, 'anonymousId', anonymousId)], now);
    for (const id of device.contactIds) {
      const contact = await tx.lockContact(id);
      if (!contact) continue;
      if (id === device.owner && device.ownerDevicesLeft === 0 && contact.email === null) {
        addCounts(erased, await eraseLocked(tx, site, contact, now, by, effects));
      } else {
        await scoreContact(tx, site, contact, [], { now, recompute: true }, effects);
        await syncAccounts(tx, site, [{ contact, group: null, trusted: false }], [], now, effects);
      }
    }
    return { contactId: device.owner, erased };
  });
}

/**
 * Runs one erasure in a transaction with its audit entry (counts and the contact id only), then tells
 * the outside world (webhooks, live stream) once it is committed.
 */
async function audited(
  ctx: AppContext,
  site: RunningSite,
  by: string,
  action: 'erase_contact' | 'erase_visitor',
  erase: (tx: StorageTx, now: number, effects: Effects) => Promise<ErasureAnswer | null>,
): Promise<ErasureAnswer | null> {
  const now = ctx.now();
  const effects = createEffects();
  const report = await ctx.storage.transaction(async (tx) => {
    const answer = await erase(tx, now, effects);
    if (answer) {
      const { contactId, erased } = answer;
      await tx.appendAudit({
        siteKey: site.config.siteKey,
        at: now,
        by,
        action,
        contactId,
        counts: { ...erased },
      });
    }
    return answer;
  });
  if (report) await afterErasure(ctx, site, effects);
  return report;
}

/** Deletes a locked contact's rows, records its suppression keys and queues `lead.erased`. */
async function eraseLocked(
  tx: StorageTx,
  site: RunningSite,
  contact: ContactRecord,
  now: number,
  by: string,
  effects: Effects,
): Promise<ErasureCounts> {
  const siteKey = site.config.siteKey;
  await syncAccounts(tx, site, [], [{ contactId: contact.id, into: null }], now, effects);
  const erased = await tx.eraseContact(siteKey, contact.id);
  const emails = [...new Set([...(contact.email === null ? [] : [contact.email]), ...erased.emails])];
  if (site.config.erasure.suppress) {
    await tx.addSuppressions(
      siteKey,
      [
        ...erased.anonymousIds.map((id) => suppressionKey(siteKey, 'anonymousId', id)),
        ...emails.map((email) => suppressionKey(siteKey, 'email', email)),
      ],
      now,
    );
  }
  // The CRM matches on the id or the email's hash: the payload carries nothing that was erased.
  const data = {
    contact: {
      id: contact.id,
      emailHash: contact.email === null ? null : emailHash(contact.email),
      emailHashes: emails.map(emailHash),
    },
    erasedAt: now,
    by,
  };
  await enqueueWebhooks(tx, site, 'lead.erased', data, now, effects);
  return erased.counts;
}

function addCounts(into: ErasureCounts, more: ErasureCounts): void {
  for (const key of Object.keys(into) as (keyof ErasureCounts)[]) into[key] += more[key];
}

/** Committed: scrub the files, send webhooks, publish the rescored contacts. */
async function afterErasure(ctx: AppContext, site: RunningSite, effects: Effects): Promise<void> {
  await ctx.storage.scrubDeleted();
  ctx.hub.publish(site.config.siteKey, effects.live);
  if (effects.webhooks > 0) ctx.webhooks.wake();
}
