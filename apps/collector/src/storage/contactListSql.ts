import { STAGES } from '@leadlight/scoring-core';
import type { ContactQuery, ContactSortKey } from './storage.js';

/** How one database spells what the contact list needs: placeholders and reads of the JSON columns. */
export interface SqlDialect {
  /** The n-th (1-based) placeholder. */
  placeholder(n: number): string;
  /** A trait of the contact's state as text (`state.traits.<name>`). */
  trait(name: string): string;
  /** A number of the stored score (`score.<name>`). */
  scorePart(name: 'fit' | 'engagement'): string;
  /** Text lower-cased beyond ASCII, as JavaScript's `toLowerCase` does for the search words. */
  lower(expression: string): string;
}

/** The owner: the newest owner change's name ('' after an unassign), null when never assigned. */
const OWNER =
  "(SELECT n.text FROM contact_notes n WHERE n.contact_id = contacts.id AND n.kind = 'owner' ORDER BY n.id DESC LIMIT 1)";

function sortExpression(key: ContactSortKey, d: SqlDialect): string {
  switch (key) {
    case 'score':
      return 'score_total';
    case 'fit':
    case 'engagement':
      return d.scorePart(key);
    case 'lastSeen':
      return 'last_seen_at';
    case 'stage':
      return `(CASE stage ${STAGES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} ELSE ${STAGES.length} END)`;
    case 'name':
      return d.lower(`COALESCE(NULLIF(TRIM(${d.trait('name')}), ''), email, '')`);
  }
}

/** `%`, `_` and the escape character itself match literally in a LIKE pattern. */
function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of a site's contacts as SQL and its parameters, for either database: the filters, the sort with the
 * id as tie-break, the keyset cursor, and the sort key's value as the `sort_key` column.
 */
export function contactListSql(
  siteKey: string,
  query: ContactQuery,
  d: SqlDialect,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return d.placeholder(params.length);
  };
  const sort = query.sort ?? { key: 'score', dir: 'desc' };
  const key = sortExpression(sort.key, d);
  const where = [`site = ${p(siteKey)}`];
  if (query.stage) where.push(`stage = ${p(query.stage)}`);
  if (query.minScore !== undefined) where.push(`score_total >= ${p(query.minScore)}`);
  if (query.maxScore !== undefined) where.push(`score_total <= ${p(query.maxScore)}`);
  const haystack = d.lower(
    `COALESCE(${d.trait('name')}, '') || ' ' || COALESCE(email, '') || ' ' || COALESCE(${d.trait('company')}, '')`,
  );
  for (const word of query.words ?? []) where.push(`${haystack} LIKE ${p(likePattern(word))} ESCAPE '\\'`);
  if (query.owner === null) where.push(`COALESCE(${OWNER}, '') = ''`);
  else if (query.owner !== undefined) where.push(`${OWNER} = ${p(query.owner)}`);
  if (query.after) {
    const op = sort.dir === 'asc' ? '>' : '<';
    where.push(
      `(${key} ${op} ${p(query.after.key)} OR (${key} = ${p(query.after.key)} AND id > ${p(query.after.id)}))`,
    );
  }
  const sql = `SELECT *, ${key} AS sort_key FROM contacts WHERE ${where.join(' AND ')}
    ORDER BY ${key} ${sort.dir === 'asc' ? 'ASC' : 'DESC'}, id LIMIT ${p(query.limit)}`;
  return { sql, params };
}
