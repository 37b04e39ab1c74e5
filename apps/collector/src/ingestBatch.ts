import {
  compareEvents,
  createState,
  foldEvents,
  type ScoreState,
  type TrackedEvent,
  tryFoldEvent,
} from '@leadlight/scoring-core';
import type { ScoreAnswer } from '@leadlight/scoring-core/wire';
import { latestGroup } from './accounts/groupIdOf.js';
import { type AccountUpdate, syncAccounts } from './accounts/syncAccounts.js';
import { browserView, isVerified, speaksForContact } from './browserView.js';
import { createEffects, type Effects, mergeContacts, newContact, scoreContact } from './contactLifecycle.js';
import type { ParsedEvent } from './parseBatch.js';
import type { RunningSite } from './siteRegistry.js';
import type { AccountRecord } from './storage/accountStorage.js';
import type { ContactRecord, DeviceRecord, StorageTx, StoredEvent } from './storage/storage.js';
import { countDropped, storeBotBatch } from './storeBotBatch.js';

/** How many emails one browser may claim without an identity token (a shared computer has a few users). */
export const MAX_UNVERIFIED_EMAILS = 3;
const DAY_MS = 86_400_000;

/** A validated batch, ready to store. */
export interface BatchInput {
  site: RunningSite;
  events: ParsedEvent[];
  /** Stored flagged and never scored (known bot, or an automated browser under `bots: "ignore"`). */
  bot: boolean;
  receivedAt: number;
  /** Whose view the answer carries: the batch's `anonymousId`, else its last event's. */
  anonymousId: string | null;
  /** Events the browser queue dropped since its last batch. */
  dropped: number;
  /** Ids of identify events whose identity token checked out. */
  verified: ReadonlySet<string>;
  /**
   * `server` for write-key calls: trusted to link ids and emails (a contact's email may change, claims are
   * not counted), never to verify a browser.
   */
  source: 'browser' | 'server';
}

/** What a committed batch changed. */
export interface BatchOutcome {
  /** Per input event: stored now (false for repeats and for `rejected` ones). */
  inserted: boolean[];
  /** Events refused by the identity rules, by their index in the request. */
  rejected: { index: number; error: string }[];
  /** What the answering browser may see. */
  view: ScoreAnswer;
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
 * Stores a batch in one transaction and resolves after commit. Each new event goes to its browser's
 * contact; an identify with an email first decides that contact (see `claimEmail`). Contacts and browsers
 * fold the new events into their states in place, whatever their order, so no site-key call replays
 * stored history (a replay happens only after a model change, or for states from older versions).
 */
export function ingestBatch(
  storage: { transaction: StorageTxRunner },
  input: BatchInput,
): Promise<BatchOutcome> {
  return storage.transaction((tx) => new BatchWriter(tx, input).run());
}

type StorageTxRunner = <T>(fn: (tx: StorageTx) => Promise<T>) => Promise<T>;

/** One batch's work inside its transaction. */
class BatchWriter {
  private readonly effects = createEffects();
  private readonly rejected: { index: number; error: string }[] = [];
  private readonly rejectedIndexes = new Set<number>();
  private readonly contacts = new Map<string, ContactRecord>();
  private readonly devices = new Map<string, DeviceRecord>();
  /** Contacts merged away in this batch, to the contact that absorbed them. */
  private readonly mergedInto = new Map<string, string>();
  /** Contacts whose state must be recomputed from their stored events. */
  private readonly replay = new Set<string>();
  /** Accounts this batch locked (and settled). */
  private accounts = new Map<string, AccountRecord>();
  private readonly siteKey: string;
  private readonly now: number;

  constructor(
    private readonly tx: StorageTx,
    private readonly input: BatchInput,
  ) {
    this.siteKey = input.site.config.siteKey;
    this.now = input.receivedAt;
  }

  async run(): Promise<BatchOutcome> {
    const { input, tx } = this;
    if (input.bot) {
      const inserted = await storeBotBatch(tx, input);
      return { inserted, rejected: [], view: await this.view(), effects: this.effects };
    }
    // Only an identify with an email can change where events go, so only then must repeats be known
    // before routing; otherwise the insert itself tells which events are new.
    const routing = input.events.some((e) => emailOf(e.event) !== null);
    const known = routing
      ? await tx.knownEventIds(
          this.siteKey,
          input.events.map((e) => e.event.id),
        )
      : new Set<string>();
    const fresh: ParsedEvent[] = [];
    for (const entry of input.events) {
      if (known.has(entry.event.id)) continue;
      known.add(entry.event.id);
      fresh.push(entry);
    }
    fresh.sort((a, b) => compareEvents(a.event, b.event));

    // Route each new event to its browser's contact, in canonical order: an identify may move the browser.
    const routed = new Map<ParsedEvent, { device: DeviceRecord; contactId: string }>();
    for (const entry of fresh) {
      const device = await this.device(entry.event);
      const email = emailOf(entry.event);
      let error: string | null = null;
      if (email !== null)
        error = await this.claimEmail(device, email, input.verified.has(entry.event.id), entry.event);
      if (error === null && entry.link !== undefined && entry.event.type === 'identify')
        error = await this.linkBrowser(device, entry.link, entry.event);
      if (error !== null) {
        this.rejected.push({ index: entry.index, error });
        this.rejectedIndexes.add(entry.index);
        continue;
      }
      routed.set(entry, { device, contactId: device.contactId });
    }

    const toStore = input.events.filter((entry) => !this.isRejected(entry));
    const stored: StoredEvent[] = toStore.map((entry) => {
      const { event, flags, json } = entry;
      const route = routed.get(entry);
      return {
        siteKey: this.siteKey,
        event,
        contactId: route ? this.survivor(route.contactId) : null,
        receivedAt: this.now,
        bot: false,
        flags,
        json,
      };
    });
    const insertedStored = await tx.insertEvents(stored);
    const insertedIds = new Set(toStore.filter((_, i) => insertedStored[i]).map((e) => e.event.id));

    const byContact = new Map<string, TrackedEvent[]>();
    const byDevice = new Map<DeviceRecord, TrackedEvent[]>();
    for (const [entry, route] of routed) {
      if (!insertedIds.has(entry.event.id)) continue;
      push(byContact, this.survivor(route.contactId), entry.event);
      push(byDevice, route.device, entry.event);
    }
    for (const id of this.replay) if (!byContact.has(id)) byContact.set(id, []);
    const updates: AccountUpdate[] = [];
    for (const [id, events] of byContact) {
      const contact = await this.lock(id);
      await scoreContact(
        tx,
        input.site,
        contact,
        events,
        { now: this.now, recompute: this.replay.has(id) },
        this.effects,
      );
      const trusted = speaksForContact(input.source, this.devices.values(), contact, this.now);
      updates.push({ contact, group: latestGroup(events), trusted });
    }
    const leaving = [...this.mergedInto.keys()].map((from) => ({
      contactId: from,
      into: this.survivor(from),
    }));
    this.accounts = await syncAccounts(tx, input.site, updates, leaving, this.now, this.effects);
    for (const device of this.devices.values()) {
      device.contactId = this.survivor(device.contactId);
      await this.foldDevice(device, byDevice.get(device) ?? []);
      await tx.saveDevice(device);
    }
    await countDropped(tx, input);

    const seen = new Set<string>();
    const inserted = input.events.map((entry) => {
      const first = !seen.has(entry.event.id);
      seen.add(entry.event.id);
      return first && insertedIds.has(entry.event.id);
    });
    return { inserted, rejected: this.rejected, view: await this.view(), effects: this.effects };
  }

  /**
   * Decides which contact a browser's identify with `email` goes to. An anonymous contact takes the
   * email, or joins the contact that already has it (one person's browsers become one contact). A
   * contact that has an email keeps it: the browser moves on to the claimed email's contact, and the
   * two are never merged. Without a token a browser may claim only a few emails; a valid token also
   * verifies the browser, and any other email ends that verification.
   */
  private async claimEmail(
    device: DeviceRecord,
    email: string,
    verified: boolean,
    event: TrackedEvent,
  ): Promise<string | null> {
    const { tx, siteKey } = this;
    const current = await this.lock(device.contactId);
    if (verified) {
      device.verifiedEmail = email;
      device.verifiedUntil = this.now + this.input.site.config.identityVerificationDays * DAY_MS;
    } else if (device.verifiedEmail !== null && device.verifiedEmail !== email) {
      device.verifiedEmail = null;
      device.verifiedUntil = 0;
    }
    if (current.email === email) return null;
    const server = this.input.source === 'server';
    if (server) return this.relinkEmail(device, current, email, event);
    if (!verified) {
      if (device.emailClaims >= MAX_UNVERIFIED_EMAILS) {
        return `this browser already claimed ${MAX_UNVERIFIED_EMAILS} emails; send an identity token to claim another`;
      }
      device.emailClaims += 1;
    }
    const holder = await tx.contactIdForEmail(siteKey, email);
    if (current.email === null && holder === null) {
      await tx.linkEmail(siteKey, email, current.id);
      current.email = email;
    } else if (current.email === null && holder !== null) {
      await this.absorb(device, current, await this.lock(holder));
    } else if (holder !== null) {
      device.contactId = (await this.lock(holder)).id;
    } else {
      const contact = newContact(this.input.site, event, this.now);
      contact.email = email;
      await tx.insertContact(contact);
      await tx.linkEmail(siteKey, email, contact.id);
      this.contacts.set(contact.id, await this.lock(contact.id));
      device.contactId = contact.id;
    }
    return null;
  }

  /**
   * A trusted (server) identify: the device's contact takes the email, or joins the contact that has it
   * when its own has none; a contact that has another email is given the new one (the person changed it),
   * unless the new one belongs to someone else: then the call is refused, never merged.
   */
  private async relinkEmail(
    device: DeviceRecord,
    current: ContactRecord,
    email: string,
    event: TrackedEvent,
  ): Promise<string | null> {
    const holder = await this.tx.contactIdForEmail(this.siteKey, email);
    if (holder === null) {
      await this.tx.linkEmail(this.siteKey, email, current.id);
      current.email = email;
      return null;
    }
    if (current.email !== null) {
      return `${event.anonymousId.startsWith('user:') ? 'userId' : 'anonymousId'}: linked to ${current.email}, while ${email} belongs to another contact (never merged)`;
    }
    await this.absorb(device, current, await this.lock(holder));
    return null;
  }

  /**
   * Brings the browser a server call names (Segment anonymousId next to a userId) into the contact of
   * the call's device: whichever of the two contacts has no email joins the other.
   */
  private async linkBrowser(
    device: DeviceRecord,
    anonymousId: string,
    event: TrackedEvent,
  ): Promise<string | null> {
    const browser = await this.device({ ...event, anonymousId });
    if (browser.contactId === device.contactId) return null;
    const mine = await this.lock(device.contactId);
    const theirs = await this.lock(browser.contactId);
    if (theirs.email === null) await this.absorb(browser, theirs, mine);
    else if (mine.email === null) await this.absorb(device, mine, theirs);
    else
      return `anonymousId: that browser belongs to ${theirs.email}, the userId to ${mine.email} (never merged)`;
    return null;
  }

  /** Merges `from` (a contact without email) into `into`; the device that pointed at `from` follows. */
  private async absorb(device: DeviceRecord, from: ContactRecord, into: ContactRecord): Promise<void> {
    if (!(await mergeContacts(this.tx, this.input.site, from, into))) this.replay.add(into.id);
    this.contacts.delete(from.id);
    this.replay.delete(from.id);
    this.mergedInto.set(from.id, into.id);
    device.contactId = into.id;
    for (const other of this.devices.values()) if (other.contactId === from.id) other.contactId = into.id;
  }

  /** The browser of an event, locked; a new anonymous id gets an anonymous contact of its own. */
  private async device(event: TrackedEvent): Promise<DeviceRecord> {
    const known = this.devices.get(event.anonymousId);
    if (known) return known;
    let device = await this.tx.lockDevice(this.siteKey, event.anonymousId);
    if (!device) {
      const contact = newContact(this.input.site, event, this.now);
      const owner = await this.tx.createContact(contact, event.anonymousId);
      device =
        owner === contact.id
          ? {
              siteKey: this.siteKey,
              anonymousId: event.anonymousId,
              contactId: owner,
              state: createState(this.input.site.model),
              emailClaims: 0,
              verifiedEmail: null,
              verifiedUntil: 0,
            }
          : await this.tx.lockDevice(this.siteKey, event.anonymousId);
      if (!device) throw new Error(`anonymous id ${event.anonymousId} vanished inside its transaction`);
    }
    this.devices.set(event.anonymousId, device);
    return device;
  }

  /** Folds a browser's new events into its own state (recomputing it when it cannot). */
  private async foldDevice(device: DeviceRecord, events: TrackedEvent[]): Promise<void> {
    const { model, modelHash } = this.input.site;
    let state: ScoreState | null = device.state?.modelHash === modelHash ? device.state : null;
    if (state !== null) {
      for (const event of events) {
        if (!tryFoldEvent(model, state, event)) {
          state = null;
          break;
        }
      }
    }
    device.state =
      state ??
      foldEvents(model, createState(model), await this.tx.deviceEvents(this.siteKey, device.anonymousId));
  }

  private async lock(id: string): Promise<ContactRecord> {
    let contact = this.contacts.get(id);
    if (!contact) {
      contact = (await this.tx.lockContact(id)) ?? undefined;
      if (!contact) throw new Error(`contact ${id} vanished inside its transaction`);
      this.contacts.set(id, contact);
    }
    return contact;
  }

  private survivor(id: string): string {
    let current = id;
    for (let next = this.mergedInto.get(current); next !== undefined; next = this.mergedInto.get(current))
      current = next;
    return current;
  }

  private isRejected(entry: ParsedEvent): boolean {
    return this.rejectedIndexes.has(entry.index);
  }

  /** The answering browser's view, from what this transaction holds. */
  private async view(): Promise<ScoreAnswer> {
    const anonymousId = this.input.anonymousId;
    const device =
      anonymousId === null
        ? null
        : (this.devices.get(anonymousId) ?? (await this.tx.lockDevice(this.siteKey, anonymousId)));
    if (device && device.state?.modelHash !== this.input.site.modelHash) await this.foldDevice(device, []);
    const contact = device
      ? (this.contacts.get(device.contactId) ?? (await this.tx.lockContact(device.contactId)))
      : null;
    const accountId = device && contact && isVerified(device, contact, this.now) ? contact.accountId : null;
    const account =
      accountId === null
        ? null
        : (this.accounts.get(accountId) ??
          (await this.tx.accounts.lockAccount(this.siteKey, accountId, null)));
    return browserView(this.input.site, device, contact, this.now, account);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
