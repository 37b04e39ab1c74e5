import { resultOf } from '@leadlight/scoring-core';
import type { AppContext } from '../appContext.js';
import { currentScore } from '../contactLifecycle.js';
import type { RunningSite } from '../siteRegistry.js';
import type { ContactRecord, EventCursor, EventRecord } from '../storage/storage.js';

/** Events read per query while streaming an export. */
const PAGE = 500;

function eventOut(record: EventRecord) {
  return { ...record.event, receivedAt: record.receivedAt, bot: record.bot, flags: record.flags };
}

/** Streams pages of events as comma-separated JSON values; answers how many it wrote through `count`. */
async function* eventPages(
  read: (after: EventCursor | undefined) => Promise<EventRecord[]>,
  count: { n: number },
): AsyncGenerator<string> {
  let after: EventCursor | undefined;
  for (;;) {
    const page = await read(after);
    if (page.length === 0) return;
    yield (count.n > 0 ? ',' : '') + page.map((r) => JSON.stringify(eventOut(r))).join(',');
    count.n += page.length;
    const last = page.at(-1) as EventRecord;
    if (page.length < PAGE) return;
    after = { ts: last.event.ts, id: last.event.id };
  }
}

/**
 * Everything the collector holds about a contact as one JSON document, written piece by piece: the
 * contact (traits, scores, stage history), its browsers with their identity-verification status, then
 * every stored event a page at a time. Secrets never appear: identity tokens are not stored, and the
 * site's keys, webhook secrets and session hashes are not part of any of these records. The export is
 * recorded in the audit trail once written (or cut off).
 */
export async function* exportContact(
  ctx: AppContext,
  site: RunningSite,
  contact: ContactRecord,
  by: string,
): AsyncGenerator<string> {
  const siteKey = site.config.siteKey;
  const now = ctx.now();
  const events = { n: 0 };
  const unattached = { n: 0 };
  let complete = 0;
  let devices = 0;
  try {
    const [anonymousIds, stageHistory, emails, notes] = await Promise.all([
      ctx.storage.anonymousIds(contact.id),
      ctx.storage.stageHistory(contact.id),
      ctx.storage.emailsOf(contact.id),
      ctx.storage.contactNotes(contact.id),
    ]);
    const deviceRecords = await Promise.all(anonymousIds.map((id) => ctx.storage.device(siteKey, id)));
    const head = {
      format: 'leadlight-export/1',
      exportedAt: now,
      siteKey,
      contact: {
        id: contact.id,
        stage: contact.stage,
        email: contact.email,
        emails,
        traits: contact.state.traits,
        score: currentScore(site, contact, now),
        eventCount: contact.eventCount,
        mqlAt: contact.mqlAt,
        revenue: contact.revenue,
        channel: contact.channel,
        accountId: contact.accountId,
        reached: contact.reached,
        firstSeenAt: contact.firstSeenAt,
        lastSeenAt: contact.lastSeenAt,
        createdAt: contact.createdAt,
        updatedAt: contact.updatedAt,
      },
      stageHistory,
      notes,
      devices: deviceRecords.flatMap((d) =>
        d === null
          ? []
          : [
              {
                anonymousId: d.anonymousId,
                verified: d.verifiedEmail !== null && d.verifiedUntil > now,
                verifiedEmail: d.verifiedEmail,
                verifiedUntil: d.verifiedUntil || null,
                emailClaims: d.emailClaims,
                score:
                  d.state !== null && d.state.modelHash === site.modelHash
                    ? resultOf(site.model, d.state, { now })
                    : null,
              },
            ],
      ),
    };
    devices = head.devices.length;
    const opening = JSON.stringify(head);
    yield `${opening.slice(0, -1)},"events":[`;
    yield* eventPages(
      (after) => ctx.storage.listEvents(contact.id, { limit: PAGE, ...(after ? { after } : {}) }),
      events,
    );
    // Bot-flagged events of its browsers are attached to no contact, but they are still this person's.
    yield '],"unattachedEvents":[';
    for (const anonymousId of anonymousIds) {
      yield* eventPages(
        (after) =>
          ctx.storage.listUnattachedEvents(siteKey, anonymousId, {
            limit: PAGE,
            ...(after ? { after } : {}),
          }),
        unattached,
      );
    }
    yield `],"counts":${JSON.stringify({ events: events.n, unattachedEvents: unattached.n, devices, stageChanges: stageHistory.length })}}\n`;
    complete = 1;
  } finally {
    await ctx.storage
      .transaction((tx) =>
        tx.appendAudit({
          siteKey,
          at: now,
          by,
          action: 'export_contact',
          contactId: contact.id,
          counts: { events: events.n, unattachedEvents: unattached.n, devices, complete },
        }),
      )
      .catch(() => undefined);
  }
}
