import type { TrackedEvent } from '@leadlight/scoring-core';
import type Database from 'better-sqlite3';
import type { AccountTx } from './accountStorage.js';
import { mergeContactRows } from './mergeContactRows.js';
import {
  contactParams,
  deviceParams,
  eventParams,
  outboxParams,
  type Row,
  toChange,
  toContact,
  toDevice,
} from './rowMapping.js';
import type { sqliteNotes } from './sqliteNotes.js';
import type { sqlitePrivacy } from './sqlitePrivacy.js';
import type { SqliteStatements } from './sqliteStatements.js';
import type { ContactRecord, DeviceRecord, StorageTx, StoredEvent } from './storage.js';

/** SQLite has no boolean type: 1 and 0. */
const sqliteBoolean = (value: boolean) => (value ? 1 : 0);

/** A device row, read on the shared connection. */
export function readDevice(s: SqliteStatements, siteKey: string, anonymousId: string): DeviceRecord | null {
  const row = s.device.get(siteKey, anonymousId) as Row | undefined;
  return row ? toDevice(row) : null;
}

/** A device's scored events in canonical order. */
export function readDeviceEvents(s: SqliteStatements, siteKey: string, anonymousId: string): TrackedEvent[] {
  return (s.deviceEvents.all(siteKey, anonymousId) as string[]).map(
    (body) => JSON.parse(body) as TrackedEvent,
  );
}

/**
 * The transaction interface over SQLite's single connection: the caller has begun the transaction
 * (or a savepoint), so every call simply runs its statements.
 */
export function createSqliteTx(
  db: Database.Database,
  s: SqliteStatements,
  notes: ReturnType<typeof sqliteNotes>,
  privacy: ReturnType<typeof sqlitePrivacy>['tx'],
  accounts: AccountTx,
): StorageTx {
  /** The merge's statements, prepared once each. */
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  /** What each locked contact's indexed columns hold in the database, so a save can skip unchanged ones. */
  const loaded = new WeakMap<ContactRecord, { siteKey: string; scoreTotal: number; firstSeenAt: number }>();
  return {
    accounts,
    knownEventIds: async (siteKey, ids) =>
      new Set(ids.length === 0 ? [] : (s.knownIds.all(siteKey, JSON.stringify(ids)) as string[])),
    lockDevice: async (siteKey, anonymousId) => readDevice(s, siteKey, anonymousId),
    saveDevice: async (d) => {
      s.saveDevice.run(...deviceParams(d));
    },
    deviceEvents: async (siteKey, anonymousId) => readDeviceEvents(s, siteKey, anonymousId),
    insertEvents: async (events: StoredEvent[]) =>
      events.map((e) => s.insertEvent.run(...eventParams(e, sqliteBoolean)).changes === 1),
    contactIdForAnonymousId: async (siteKey, anonymousId) =>
      (s.anonContact.get(siteKey, anonymousId) as string | undefined) ?? null,
    createContact: async (contact, anonymousId) => {
      const existing = s.anonContact.get(contact.siteKey, anonymousId) as string | undefined;
      if (existing) return existing;
      s.insertContact.run(...contactParams(contact, sqliteBoolean));
      s.linkAnon.run(contact.siteKey, anonymousId, contact.id);
      return contact.id;
    },
    insertContact: async (contact) => {
      s.insertContact.run(...contactParams(contact, sqliteBoolean));
    },
    contactIdForEmail: async (siteKey, email) =>
      (s.emailContact.get(siteKey, email) as string | undefined) ?? null,
    linkEmail: async (siteKey, email, contactId) => {
      s.linkEmail.run(siteKey, email, contactId);
    },
    lockContact: async (id) => {
      const row = s.contact.get(id) as Row | undefined;
      if (!row) return null;
      const contact = toContact(row);
      loaded.set(contact, {
        siteKey: contact.siteKey,
        scoreTotal: row.score_total as number,
        firstSeenAt: contact.firstSeenAt,
      });
      return contact;
    },
    mergeContact: (fromId, intoId) =>
      mergeContactRows(
        {
          run: async (sql, params) => prepared(sql).run(...params),
          takeStageHistories: async (into, from) => {
            const histories = {
              into: (s.historyOf.all(into) as Row[]).map(toChange),
              from: (s.historyOf.all(from) as Row[]).map(toChange),
            };
            s.deleteHistory.run(into);
            s.deleteHistory.run(from);
            return histories;
          },
          writeStageHistory: async (contactId, changes) => {
            changes.forEach((c, i) => {
              s.appendChange.run(
                contactId,
                i + 1,
                c.from,
                c.to,
                c.at,
                c.by,
                c.reason ?? null,
                c.revenue ?? null,
              );
            });
          },
        },
        fromId,
        intoId,
      ),
    contactEvents: async (contactId) =>
      (s.scoredEvents.all(contactId) as string[]).map((body) => JSON.parse(body) as TrackedEvent),
    saveContact: async (contact) => {
      const values = contactParams(contact, sqliteBoolean);
      const before = loaded.get(contact);
      if (!before || before.siteKey !== contact.siteKey || before.firstSeenAt !== contact.firstSeenAt) {
        s.saveContact(values);
      } else if (before.scoreTotal !== contact.score.total) {
        s.saveContactKeepFirstSeen(values);
      } else {
        s.saveContactKeepIndexed(values);
      }
      if (before) {
        before.scoreTotal = contact.score.total;
        before.firstSeenAt = contact.firstSeenAt;
      }
    },
    appendStageChange: async (contactId, c) => {
      const seq = s.nextSeq.get(contactId) as number;
      s.appendChange.run(contactId, seq, c.from, c.to, c.at, c.by, c.reason ?? null, c.revenue ?? null);
    },
    appendNote: async (siteKey, contactId, note) => {
      notes.append(siteKey, contactId, note);
    },
    enqueueWebhook: async (item) => {
      s.enqueue.run(...outboxParams(item));
    },
    addCounter: async (siteKey, name, delta) => {
      s.addCounter.run(siteKey, name, delta);
    },
    newBotVisitors: async (siteKey, anonymousIds) =>
      new Set(anonymousIds.filter((id) => s.botSeen.get(siteKey, id) === undefined)),
    ...privacy,
  };
}
