import type pg from 'pg';
import { ACCOUNT_COLUMNS, accountParams, toAccount, toMembership } from '../accountRows.js';
import type { AccountReads, AccountTx } from '../accountStorage.js';
import type { Row } from '../rowMapping.js';

/** Runs one statement on the transaction's connection. */
type Run = (sql: string, params: unknown[]) => Promise<pg.QueryResult>;

const PLACEHOLDERS = ACCOUNT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
const INSERT = `INSERT INTO accounts (${ACCOUNT_COLUMNS.join(', ')}) VALUES (${PLACEHOLDERS})
  ON CONFLICT (site, id) DO NOTHING`;
const SAVE = `UPDATE accounts SET ${ACCOUNT_COLUMNS.map((c, i) => [c, i + 1] as const)
  .filter(([c]) => c !== 'site' && c !== 'id' && c !== 'mqa_at')
  .map(([c, i]) => `${c} = $${i}`)
  .join(
    ', ',
  )}, mqa_at = COALESCE(mqa_at, $${ACCOUNT_COLUMNS.indexOf('mqa_at') + 1}) WHERE site = $1 AND id = $2`;
const ENTRIES = 'SELECT entry FROM account_members WHERE site = $1 AND account_id = $2 ORDER BY contact_id';

/** The account operations of one PostgreSQL transaction. */
export function postgresAccountTx(run: Run): AccountTx {
  return {
    async membership(contactId) {
      const row = (await run('SELECT * FROM account_members WHERE contact_id = $1', [contactId])).rows[0];
      return row ? toMembership(row) : null;
    },
    async saveMembership(m) {
      await run(
        `INSERT INTO account_members (contact_id, site, account_id, source, entry) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (contact_id) DO UPDATE SET site = excluded.site, account_id = excluded.account_id,
           source = excluded.source, entry = excluded.entry`,
        [m.contactId, m.siteKey, m.accountId, m.source, JSON.stringify(m.entry)],
      );
    },
    async deleteMembership(contactId) {
      await run('DELETE FROM account_members WHERE contact_id = $1', [contactId]);
    },
    async lockAccount(siteKey, id, fresh) {
      // Two collectors creating one account: ON CONFLICT makes the loser wait for the winner's row.
      if (fresh) await run(INSERT, accountParams(fresh));
      const row = (await run('SELECT * FROM accounts WHERE site = $1 AND id = $2 FOR UPDATE', [siteKey, id]))
        .rows[0];
      return row ? toAccount(row) : null;
    },
    async memberEntries(siteKey, accountId) {
      return (await run(ENTRIES, [siteKey, accountId])).rows.map((r) => JSON.parse(r.entry as string));
    },
    async saveAccount(a) {
      await run(SAVE, accountParams(a));
    },
    async markMqa(siteKey, id, at) {
      const result = await run(
        `UPDATE accounts SET mqa_at = $1, stage = 'mqa' WHERE site = $2 AND id = $3 AND mqa_at IS NULL`,
        [at, siteKey, id],
      );
      return result.rowCount === 1;
    },
  };
}

/** The account reads, on the pool. */
export function postgresAccountReads(q: (sql: string, params: unknown[]) => Promise<Row[]>): AccountReads {
  return {
    async getAccount(siteKey, id) {
      const rows = await q('SELECT * FROM accounts WHERE site = $1 AND id = $2', [siteKey, id]);
      return rows[0] ? toAccount(rows[0]) : null;
    },
    async listAccounts(siteKey, query) {
      const rows = await q(
        `SELECT * FROM accounts WHERE site = $1
           AND ($2::text IS NULL OR stage = $2) AND ($3::float8 IS NULL OR score_total >= $3)
           AND ($4::float8 IS NULL OR score_total < $4 OR (score_total = $4 AND id > $5))
         ORDER BY score_total DESC, id LIMIT $6`,
        [
          siteKey,
          query.stage ?? null,
          query.minScore ?? null,
          query.after?.score ?? null,
          query.after?.id ?? null,
          query.limit,
        ],
      );
      return rows.map(toAccount);
    },
    async memberEntries(siteKey, accountId) {
      return (await q(ENTRIES, [siteKey, accountId])).map((r) => JSON.parse(r.entry as string));
    },
    async countMqas(siteKey, range) {
      const rows = await q(
        'SELECT COUNT(*)::int AS n FROM accounts WHERE site = $1 AND mqa_at >= $2 AND mqa_at < $3',
        [siteKey, range.from, range.to],
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}
