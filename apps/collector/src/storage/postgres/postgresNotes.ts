import type pg from 'pg';
import { toNote } from '../noteRows.js';
import type { Row } from '../rowMapping.js';
import type { ContactNote, SessionRecord } from '../storage.js';

/** Runs one statement on the transaction's connection. */
type Run = (sql: string, params: unknown[]) => Promise<pg.QueryResult>;

/** Adds a note or an owner change of a contact (the caller holds the contact's row lock). */
export async function appendNoteRow(run: Run, siteKey: string, contactId: string, note: ContactNote) {
  await run(
    'INSERT INTO contact_notes (site, contact_id, kind, at, by, text) VALUES ($1, $2, $3, $4, $5, $6)',
    [siteKey, contactId, note.kind, note.at, note.by, note.text],
  );
}

/** The reads of notes, owners and named sessions, on the pool. */
export function postgresNoteReads(q: (sql: string, params: unknown[]) => Promise<Row[]>) {
  return {
    async contactNotes(contactId: string): Promise<ContactNote[]> {
      const rows = await q('SELECT kind, at, by, text FROM contact_notes WHERE contact_id = $1 ORDER BY id', [
        contactId,
      ]);
      return rows.map(toNote);
    },
    async ownersOf(contactIds: string[]): Promise<Map<string, string>> {
      const owners = new Map<string, string>();
      if (contactIds.length === 0) return owners;
      const rows = await q(
        `SELECT DISTINCT ON (contact_id) contact_id, text FROM contact_notes
         WHERE kind = 'owner' AND contact_id = ANY($1::text[]) ORDER BY contact_id, id DESC`,
        [contactIds],
      );
      for (const row of rows) if (row.text !== '') owners.set(row.contact_id as string, row.text as string);
      return owners;
    },
    async session(tokenHash: string, now: number): Promise<SessionRecord | null> {
      const rows = await q('SELECT site, name FROM sessions WHERE token_hash = $1 AND expires_at > $2', [
        tokenHash,
        now,
      ]);
      const row = rows[0];
      return row ? { siteKey: row.site as string, name: (row.name as string | null) ?? null } : null;
    },
  };
}
