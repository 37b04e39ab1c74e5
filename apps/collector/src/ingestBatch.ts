import {
  createState,
  resultOf,
  type ScoreResult,
  type ScoreState,
  type TrackedEvent,
} from '@leadlight/scoring-core';
import {
  createEffects,
  currentScore,
  type Effects,
  mergeContacts,
  newContact,
  scoreContact,
} from './contactLifecycle.js';
import type { RunningSite } from './siteRegistry.js';
import type { ContactRecord, EventFlags, Storage, StorageTx, StoredEvent } from './storage/storage.js';

/** A validated batch, ready to store. */
export interface BatchInput {
  site: RunningSite;
  events: { event: TrackedEvent; flags: EventFlags | null; json?: string }[];
  /** Stored flagged and never scored (known bot, or an automated browser under `bots: "ignore"`). */
  bot: boolean;
  receivedAt: number;
  /** Whose score the answer carries: the batch's `anonymousId`, else its last event's. */
  anonymousId: string | null;
  /** Events the browser queue dropped since its last batch. */
  dropped: number;
}

/** What a committed batch changed. */
export interface BatchOutcome {
  inserted: boolean[];
  contactId: string | null;
  score: ScoreResult;
  state: ScoreState;
  effects: Effects;
}

function emailOf(event: TrackedEvent): string | null {
  if (event.type !== 'identify') return null;
  const email = event.traits?.email;
  if (typeof email !== 'string') return null;
  const normalized = email.trim().toLowerCase();
  return normalized === '' ? null : normalized;
}

/**
 * Stores a batch in one transaction: new events once (dedupe by site + event id), identify merges by
 * email across devices, then each touched contact's score and stage. Resolves after commit.
 */
export function ingestBatch(storage: Storage, input: BatchInput): Promise<BatchOutcome> {
  const { site, receivedAt: now } = input;
  const siteKey = site.config.siteKey;
  return storage.transaction(async (tx: StorageTx) => {
    const effects = createEffects();
    const contactOf = new Map<string, string>();
    if (!input.bot) {
      for (const { event } of input.events) {
        if (contactOf.has(event.anonymousId)) continue;
        const id =
          (await tx.contactIdForAnonymousId(siteKey, event.anonymousId)) ??
          (await tx.createContact(newContact(site, event, now), event.anonymousId));
        contactOf.set(event.anonymousId, id);
      }
    }
    const stored: StoredEvent[] = input.events.map(({ event, flags, json }) => ({
      siteKey,
      event,
      contactId: input.bot ? null : (contactOf.get(event.anonymousId) ?? null),
      receivedAt: now,
      bot: input.bot,
      flags,
      ...(json === undefined ? {} : { json }),
    }));
    const inserted = await tx.insertEvents(stored);
    const fresh = input.bot ? [] : input.events.filter((_, i) => inserted[i]).map((e) => e.event);
    fresh.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

    const locked = new Map<string, ContactRecord>();
    const lock = async (id: string): Promise<ContactRecord> => {
      let contact = locked.get(id);
      if (!contact) {
        contact = (await tx.lockContact(id)) ?? undefined;
        if (!contact) throw new Error(`contact ${id} vanished inside its transaction`);
        locked.set(id, contact);
      }
      return contact;
    };
    const recompute = new Set<string>();
    const owner = (anonymousId: string) => contactOf.get(anonymousId) as string;

    // Identify: one email is one contact, across devices; the contact that already has the email survives.
    for (const event of fresh) {
      const email = emailOf(event);
      if (!email) continue;
      const current = owner(event.anonymousId);
      const holder = await tx.contactIdForEmail(siteKey, email);
      if (holder === null) {
        await tx.linkEmail(siteKey, email, current);
      } else if (holder !== current) {
        const [a, b] = holder < current ? [holder, current] : [current, holder];
        await lock(a);
        await lock(b);
        await mergeContacts(tx, await lock(current), await lock(holder));
        locked.delete(current);
        for (const [anonymousId, id] of contactOf) if (id === current) contactOf.set(anonymousId, holder);
        recompute.delete(current);
        recompute.add(holder);
      }
    }

    const byContact = new Map<string, TrackedEvent[]>();
    for (const event of fresh) {
      const id = owner(event.anonymousId);
      const list = byContact.get(id);
      if (list) list.push(event);
      else byContact.set(id, [event]);
    }
    for (const id of recompute) if (!byContact.has(id)) byContact.set(id, []);
    for (const [id, events] of byContact) {
      await scoreContact(tx, site, await lock(id), events, { now, recompute: recompute.has(id) }, effects);
    }
    if (input.dropped > 0) await tx.addCounter(siteKey, 'browserDropped', input.dropped);
    if (input.bot && input.events.length > 0)
      await tx.addCounter(siteKey, 'botEvents', inserted.filter(Boolean).length);

    let contactId: string | null = null;
    let contact: ContactRecord | undefined;
    if (input.anonymousId !== null) {
      contactId =
        contactOf.get(input.anonymousId) ?? (await tx.contactIdForAnonymousId(siteKey, input.anonymousId));
      if (contactId !== null)
        contact = locked.get(contactId) ?? (await tx.lockContact(contactId)) ?? undefined;
    }
    if (contact)
      return { inserted, contactId, score: currentScore(site, contact, now), state: contact.state, effects };
    const state = createState(site.model);
    return { inserted, contactId: null, score: resultOf(site.model, state, { now }), state, effects };
  });
}
