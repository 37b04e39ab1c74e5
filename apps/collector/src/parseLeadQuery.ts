import { STAGES, type Stage } from '@leadlight/scoring-core';
import { CollectorError } from './collectorError.js';
import { decodeCursor, parseLimit } from './pageCursor.js';
import type { ContactQuery, ContactSortKey } from './storage/storage.js';

const SORT_KEYS: readonly ContactSortKey[] = ['score', 'fit', 'engagement', 'lastSeen', 'stage', 'name'];
/** Bounds on what a search may ask of the database. */
const MAX_QUERY_CHARS = 200;
const MAX_WORDS = 8;

const given = (value: unknown) => value !== undefined && value !== '';

function text(name: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.length > max) {
    throw new CollectorError('bad_request', `${name}: expected text of at most ${max} characters`);
  }
  return value;
}

function score(name: string, value: unknown): number {
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n)) {
    throw new CollectorError('bad_request', `${name}: expected a number, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * The `GET /v1/leads` query string as a contact query: `stage`, `minScore`, `maxScore`, `q` (words, each in the
 * name, email or company), `owner` or `unassigned=true`, `sort` (`-score` by default; a leading `-` is highest
 * first), `limit`, `cursor`. Answers 400 naming the parameter that is wrong.
 */
export function parseLeadQuery(query: Record<string, unknown>): ContactQuery {
  const out: ContactQuery = { limit: parseLimit(query.limit) };
  if (given(query.stage)) {
    if (!(STAGES as readonly unknown[]).includes(query.stage)) {
      throw new CollectorError(
        'bad_request',
        `stage: expected one of ${STAGES.join(', ')}, got ${JSON.stringify(query.stage)}`,
      );
    }
    out.stage = query.stage as Stage;
  }
  if (given(query.minScore)) out.minScore = score('minScore', query.minScore);
  if (given(query.maxScore)) out.maxScore = score('maxScore', query.maxScore);
  if (given(query.q)) {
    const words = text('q', query.q, MAX_QUERY_CHARS).toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length > MAX_WORDS) throw new CollectorError('bad_request', `q: at most ${MAX_WORDS} words`);
    out.words = words;
  }
  if (given(query.owner) && given(query.unassigned)) {
    throw new CollectorError('bad_request', 'owner, unassigned: give one or the other');
  }
  if (given(query.owner)) out.owner = text('owner', query.owner, MAX_QUERY_CHARS);
  if (given(query.unassigned)) {
    if (query.unassigned !== 'true') throw new CollectorError('bad_request', 'unassigned: expected true');
    out.owner = null;
  }
  if (given(query.sort)) {
    const sort = text('sort', query.sort, 20);
    const key = sort.replace(/^-/, '') as ContactSortKey;
    if (!SORT_KEYS.includes(key)) {
      throw new CollectorError(
        'bad_request',
        `sort: expected one of ${SORT_KEYS.join(', ')}, with a leading - for highest first, got ${JSON.stringify(sort)}`,
      );
    }
    out.sort = { key, dir: sort.startsWith('-') ? 'desc' : 'asc' };
  }
  const cursor = out.sort?.key === 'name' ? decodeCursor(query.cursor, 'string') : decodeCursor(query.cursor);
  if (cursor) out.after = { key: cursor[0], id: cursor[1] };
  return out;
}
