// Row ↔ record mapping of accounts and memberships, shared by the SQLite and PostgreSQL adapters.
import type { AccountMembership, AccountRecord } from './accountStorage.js';
import type { Row } from './rowMapping.js';

/** The `accounts` columns in the order of `accountParams`. */
export const ACCOUNT_COLUMNS = [
  'site',
  'id',
  'domain',
  'traits',
  'trait_sources',
  'state',
  'score',
  'score_total',
  'stage',
  'mqa_at',
  'model_hash',
  'created_at',
  'updated_at',
] as const;

/** An account's values in `ACCOUNT_COLUMNS` order. */
export function accountParams(a: AccountRecord): unknown[] {
  return [
    a.siteKey,
    a.id,
    a.domain,
    JSON.stringify(a.traits),
    JSON.stringify(a.traitSources),
    JSON.stringify(a.state),
    JSON.stringify(a.score),
    a.score.total,
    a.stage,
    a.mqaAt,
    a.modelHash,
    a.createdAt,
    a.updatedAt,
  ];
}

/** An `accounts` row as a record. */
export function toAccount(row: Row): AccountRecord {
  return {
    siteKey: row.site as string,
    id: row.id as string,
    domain: (row.domain as string | null) ?? null,
    traits: JSON.parse(row.traits as string),
    traitSources: JSON.parse(row.trait_sources as string),
    state: JSON.parse(row.state as string),
    score: JSON.parse(row.score as string),
    stage: row.stage as AccountRecord['stage'],
    mqaAt: row.mqa_at === null || row.mqa_at === undefined ? null : Number(row.mqa_at),
    modelHash: row.model_hash as string,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** An `account_members` row as a membership. */
export function toMembership(row: Row): AccountMembership {
  return {
    contactId: row.contact_id as string,
    siteKey: row.site as string,
    accountId: row.account_id as string,
    source: row.source as AccountMembership['source'],
    entry: JSON.parse(row.entry as string),
  };
}
