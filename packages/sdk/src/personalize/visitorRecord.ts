import type { Stage, TrackedEvent } from '@leadlight/scoring-core';
import { type Facts, normalizePath } from './condition.js';

/** The storage calls the record needs (localStorage by default; tests pass their own). */
export type RecordStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** What personalization remembers about a visitor across pages, in one small first-party key. */
export interface VisitorRecord {
  /** Last provisional score seen, so the next page decides before the worker answers. */
  score: number;
  stage: Stage;
  /** The stage of the visitor's account, when the collector told it (verified visitors only). */
  account?: string;
  did: Facts;
  /** Exit popup id → when it was last shown (ms since epoch). */
  shown: Record<string, number>;
  /** Exit popup ids the visitor converted on. */
  converted: string[];
}

/** The given storage (`null`: memory only), else localStorage — undefined where reading it throws (blocked cookies). */
export function recordStorage(given: RecordStorage | null | undefined): RecordStorage | undefined {
  try {
    return given === undefined ? localStorage : (given ?? undefined);
  } catch {
    return undefined;
  }
}

/** The localStorage key of the record. */
export const RECORD_KEY = 'leadlight:personalize';

/** Most recent entries kept per list: enough to personalize on, small enough to stay a few hundred bytes. */
const KEEP = 20;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(-KEEP) : [];

/** An empty record: a first visit, or storage not allowed. */
export function emptyRecord(): VisitorRecord {
  return {
    score: 0,
    stage: 'visitor',
    did: { download: [], visited: [], cta: [], form: [], event: [] },
    shown: {},
    converted: [],
  };
}

/** Reads the record, tolerating anything a previous version or a curious visitor left there. */
export function loadRecord(storage: RecordStorage | undefined): VisitorRecord {
  const record = emptyRecord();
  try {
    const raw = JSON.parse(storage?.getItem(RECORD_KEY) ?? 'null');
    if (!raw) return record;
    if (Number.isFinite(raw.score)) record.score = raw.score;
    if (typeof raw.stage === 'string') record.stage = raw.stage;
    if (typeof raw.account === 'string') record.account = raw.account;
    for (const kind in record.did) record.did[kind as keyof Facts] = strings(raw.did?.[kind]);
    for (const id in raw.shown) if (Number.isFinite(raw.shown[id])) record.shown[id] = raw.shown[id];
    record.converted = strings(raw.converted);
  } catch {
    // Unreadable JSON or storage that throws (Safari private mode, blocked cookies): start fresh.
  }
  return record;
}

/** Writes the record, or removes it when storage is not allowed (consent not given or withdrawn). */
export function saveRecord(
  storage: RecordStorage | undefined,
  record: VisitorRecord,
  allowed: boolean,
): void {
  try {
    if (allowed) storage?.setItem(RECORD_KEY, JSON.stringify(record));
    else storage?.removeItem(RECORD_KEY);
  } catch {
    // Quota or security errors: personalization carries on from memory.
  }
}

/** Adds a value to a list once, keeping the most recent last. */
function remember(list: string[], value: unknown): void {
  if (typeof value !== 'string' || !value) return;
  const v = value.toLowerCase();
  const at = list.indexOf(v);
  if (at >= 0) list.splice(at, 1);
  list.push(v);
  if (list.length > KEEP) list.shift();
}

/** Folds one tracked event into what the visitor did. */
export function recordEvent(record: VisitorRecord, event: TrackedEvent): void {
  const props = event.props ?? {};
  const { did } = record;
  remember(did.event, event.type);
  if (event.type === 'page_view' && event.path) remember(did.visited, normalizePath(event.path));
  if (event.type === 'cta_click') remember(did.cta, props.cta);
  if (event.type === 'form_submit') remember(did.form, props.form);
  if (event.type === 'popup_converted') remember(record.converted, props.popup);
  if (event.type === 'download') {
    const source = String(props.file ?? props.href ?? '');
    let name = (source.split(/[?#]/)[0] ?? '').split('/').pop() ?? '';
    const ext = typeof props.ext === 'string' ? props.ext.replace(/^\./, '').toLowerCase() : '';
    if (ext && !name.toLowerCase().endsWith(`.${ext}`)) name += `.${ext}`;
    remember(did.download, name);
  }
}
