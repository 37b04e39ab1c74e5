import type Database from 'better-sqlite3';
import { toNote } from './noteRows.js';
import type { Row } from './rowMapping.js';
import type { ContactNote, SessionRecord } from './storage.js';

/** The SQLite statements of contact notes, owners and named sessions, prepared once on the adapter's connection. */
export function sqliteNotes(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  const s = {
    append: p('INSERT INTO contact_notes (site, contact_id, kind, at, by, text) VALUES (?, ?, ?, ?, ?, ?)'),
    notesOf: p('SELECT kind, at, by, text FROM contact_notes WHERE contact_id = ? ORDER BY id'),
    // The newest owner row of each contact; contact_notes_contact answers MAX(id) per contact from the index.
    owners: p(
      `SELECT contact_id, text FROM contact_notes WHERE id IN (
         SELECT MAX(id) FROM contact_notes
         WHERE kind = 'owner' AND contact_id IN (SELECT value FROM json_each(?)) GROUP BY contact_id)`,
    ),
    createSession: p(
      'INSERT OR REPLACE INTO sessions (token_hash, site, expires_at, name) VALUES (?, ?, ?, ?)',
    ),
    session: p('SELECT site, name FROM sessions WHERE token_hash = ? AND expires_at > ?'),
  };
  return {
    /** Inside a transaction: adds a note or an owner change. */
    append(siteKey: string, contactId: string, note: ContactNote): void {
      s.append.run(siteKey, contactId, note.kind, note.at, note.by, note.text);
    },
    notesOf: (contactId: string): ContactNote[] => (s.notesOf.all(contactId) as Row[]).map(toNote),
    ownersOf(contactIds: string[]): Map<string, string> {
      const owners = new Map<string, string>();
      if (contactIds.length === 0) return owners;
      for (const row of s.owners.all(JSON.stringify(contactIds)) as Row[])
        if (row.text !== '') owners.set(row.contact_id as string, row.text as string);
      return owners;
    },
    createSession(tokenHash: string, siteKey: string, expiresAt: number, name: string | null): void {
      s.createSession.run(tokenHash, siteKey, expiresAt, name);
    },
    session(tokenHash: string, now: number): SessionRecord | null {
      const row = s.session.get(tokenHash, now) as Row | undefined;
      return row ? { siteKey: row.site as string, name: (row.name as string | null) ?? null } : null;
    },
  };
}
