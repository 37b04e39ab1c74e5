import type Database from 'better-sqlite3';
import { ACCOUNT_COLUMNS, accountParams, toAccount, toMembership } from './accountRows.js';
import type { AccountReads, AccountTx } from './accountStorage.js';
import type { Row } from './rowMapping.js';

const SET_COLUMNS = ACCOUNT_COLUMNS.filter((c) => c !== 'site' && c !== 'id' && c !== 'mqa_at');

/** The SQLite statements of accounts, prepared once on the adapter's connection. */
export function sqliteAccounts(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  const s = {
    membership: p('SELECT * FROM account_members WHERE contact_id = ?'),
    saveMembership: p(
      `INSERT INTO account_members (contact_id, site, account_id, source, entry) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (contact_id) DO UPDATE SET site = excluded.site, account_id = excluded.account_id,
         source = excluded.source, entry = excluded.entry`,
    ),
    deleteMembership: p('DELETE FROM account_members WHERE contact_id = ?'),
    account: p('SELECT * FROM accounts WHERE site = ? AND id = ?'),
    insert: p(
      `INSERT INTO accounts (${ACCOUNT_COLUMNS.join(', ')}) VALUES (${ACCOUNT_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT (site, id) DO NOTHING`,
    ),
    save: p(
      `UPDATE accounts SET ${SET_COLUMNS.map((c) => `${c} = @${c}`).join(', ')},
         mqa_at = COALESCE(mqa_at, @mqa_at) WHERE site = @site AND id = @id`,
    ),
    markMqa: p(`UPDATE accounts SET mqa_at = ?, stage = 'mqa' WHERE site = ? AND id = ? AND mqa_at IS NULL`),
    entries: p(
      'SELECT entry FROM account_members WHERE site = ? AND account_id = ? ORDER BY contact_id',
    ).pluck(),
    list: p(
      `SELECT * FROM accounts WHERE site = @site
         AND (@stage IS NULL OR stage = @stage) AND (@minScore IS NULL OR score_total >= @minScore)
         AND (@score IS NULL OR score_total < @score OR (score_total = @score AND id > @id))
       ORDER BY score_total DESC, id LIMIT @limit`,
    ),
    countMqas: p('SELECT COUNT(*) FROM accounts WHERE site = ? AND mqa_at >= ? AND mqa_at < ?').pluck(),
  };
  const named = (a: Parameters<typeof accountParams>[0]) => {
    const values = accountParams(a);
    return Object.fromEntries(ACCOUNT_COLUMNS.map((c, i) => [c, values[i]]));
  };
  const entries = (siteKey: string, accountId: string) =>
    (s.entries.all(siteKey, accountId) as string[]).map((e) => JSON.parse(e));
  const tx: AccountTx = {
    membership: async (contactId) => {
      const row = s.membership.get(contactId) as Row | undefined;
      return row ? toMembership(row) : null;
    },
    saveMembership: async (m) => {
      s.saveMembership.run(m.contactId, m.siteKey, m.accountId, m.source, JSON.stringify(m.entry));
    },
    deleteMembership: async (contactId) => {
      s.deleteMembership.run(contactId);
    },
    lockAccount: async (siteKey, id, fresh) => {
      if (fresh) s.insert.run(...accountParams(fresh));
      const row = s.account.get(siteKey, id) as Row | undefined;
      return row ? toAccount(row) : null;
    },
    memberEntries: async (siteKey, accountId) => entries(siteKey, accountId),
    saveAccount: async (a) => {
      s.save.run(named(a));
    },
    markMqa: async (siteKey, id, at) => s.markMqa.run(at, siteKey, id).changes === 1,
  };
  /** Reads; the adapter runs each between its transactions. */
  const reads: {
    [K in keyof AccountReads]: (...args: Parameters<AccountReads[K]>) => Awaited<ReturnType<AccountReads[K]>>;
  } = {
    getAccount: (siteKey, id) => {
      const row = s.account.get(siteKey, id) as Row | undefined;
      return row ? toAccount(row) : null;
    },
    listAccounts: (siteKey, q) =>
      (
        s.list.all({
          site: siteKey,
          stage: q.stage ?? null,
          minScore: q.minScore ?? null,
          score: q.after?.score ?? null,
          id: q.after?.id ?? null,
          limit: q.limit,
        }) as Row[]
      ).map(toAccount),
    memberEntries: entries,
    countMqas: (siteKey, range) => s.countMqas.get(siteKey, range.from, range.to) as number,
  };
  return { tx, reads };
}
