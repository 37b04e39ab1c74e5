// Row ↔ record mapping of contact notes, shared by the SQLite and PostgreSQL adapters.
import type { Row } from './rowMapping.js';
import type { ContactNote } from './storage.js';

/** A `contact_notes` row as a note. */
export function toNote(row: Row): ContactNote {
  return {
    kind: row.kind as ContactNote['kind'],
    at: Number(row.at),
    by: row.by as string,
    text: row.text as string,
  };
}
