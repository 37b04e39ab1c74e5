import type { StageChange } from './storage.js';

/** What a merge needs from the transaction's connection; statements are written with `?` placeholders. */
export interface MergeConnection {
  run(sql: string, params: unknown[]): Promise<unknown>;
  /** Deletes both contacts' stage histories and answers each in `seq` order. */
  takeStageHistories(intoId: string, fromId: string): Promise<{ into: StageChange[]; from: StageChange[] }>;
  /** Writes a contact's whole stage history, numbered from 1. */
  writeStageHistory(contactId: string, changes: StageChange[]): Promise<void>;
}

/** Tables whose rows follow a merged contact to the survivor; each statement binds (intoId, fromId). */
const REPOINT = [
  'UPDATE anonymous_ids SET contact_id = ? WHERE contact_id = ?',
  'UPDATE emails SET contact_id = ? WHERE contact_id = ?',
  'UPDATE events SET contact_id = ? WHERE contact_id = ?',
  // Notes keep their ids, so they stay in the order they were written in.
  'UPDATE contact_notes SET contact_id = ? WHERE contact_id = ?',
];

/**
 * One stage history of two: ordered by time, the surviving contact's change first on a tie, each
 * contact's own changes in their order.
 */
export function mergeStageHistories(into: StageChange[], from: StageChange[]): StageChange[] {
  // A stable sort keeps `into` before `from` and each history's order wherever the times are equal.
  return [...into, ...from].sort((a, b) => a.at - b.at);
}

/**
 * Merges contact `fromId` into `intoId` (see `StorageTx.mergeContact`) on either database: devices,
 * emails, events and notes move, the stage histories interleave, and `fromId` (and every id that
 * already led to it) redirects to `intoId`. The caller holds both contacts' locks.
 */
export async function mergeContactRows(db: MergeConnection, fromId: string, intoId: string): Promise<void> {
  for (const sql of REPOINT) await db.run(sql, [intoId, fromId]);
  const histories = await db.takeStageHistories(intoId, fromId);
  await db.writeStageHistory(intoId, mergeStageHistories(histories.into, histories.from));
  await db.run('DELETE FROM contacts WHERE id = ?', [fromId]);
  await db.run('UPDATE contact_redirects SET to_id = ? WHERE to_id = ?', [intoId, fromId]);
  await db.run(
    `INSERT INTO contact_redirects (from_id, to_id) VALUES (?, ?)
     ON CONFLICT (from_id) DO UPDATE SET to_id = excluded.to_id`,
    [fromId, intoId],
  );
}
