import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@leadlight/devtools/seededRandom';
import {
  createState,
  foldEvents,
  resultOf,
  type ScoringModel,
  type TrackedEvent,
  validateModel,
} from '@leadlight/scoring-core';
import type { ModelReview } from '@leadlight/scoring-core/wire';
import Database from 'better-sqlite3';
import { firstTouchChannel, openSqliteStorage, type Storage, startCollector } from '../src/index.js';
import { reviewModel } from '../src/review/reviewModel.js';
import type { ContactRecord } from '../src/storage/storage.js';
import { benchConfig } from './benchConfig.js';

// What a model review costs on 100,000 identified contacts of 20 events each (BENCH_REVIEW_CONTACTS
// changes the size; BENCH_REVIEW_DB=<file> keeps the seeded database and reuses it, as seeding takes
// minutes), next to bare reads through the same storage calls in the same run, and what ingestion does
// meanwhile: one-visitor batches of 20 events timed back to back before and during the review (over
// HTTP, same collector process). A quarter of the contacts reached SQL; half of those kept browsing
// after the sale, so their columns are folded again from their events. Target: review under 5 s.
const CONTACTS = Number(process.env.BENCH_REVIEW_CONTACTS ?? 100_000);
const EVENTS = 20;
const PER_TX = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 11, 1);
const SECRET = 'sk_bench_secret_0123';
const SITE_KEY = 'pk_bench';

const config = benchConfig();
const checked = validateModel(config.sites[0]?.model);
if (!checked.ok) throw new Error('the bench model does not validate');
const MODEL: ScoringModel = checked.model;

const random = seededRandom(14);
const PAGES = ['/', '/pricing', '/pricing/teams', '/blog/scoring', '/docs/start', '/careers', '/customers'];
const SOURCES = [
  { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand' },
  { utm_source: 'linkedin', utm_medium: 'paid', utm_campaign: 'abm' },
  { utm_source: 'newsletter', utm_medium: 'email' },
  {},
];

/**
 * A visitor's 20 events over a few days: a first page view with UTM, an identify, pages, downloads. Ids
 * grow with the visitor's key (zero-padded), so seeding appends to every index instead of scattering
 * 2M inserts over a gigabyte of B-tree; the review reads them the same either way.
 */
function visitorEvents(key: string, start: number): TrackedEvent[] {
  const events: TrackedEvent[] = [];
  let ts = start;
  for (let i = 0; i < EVENTS; i++) {
    ts += Math.floor(random() * 6 * HOUR);
    const base = {
      id: `e-${key}-${String(i).padStart(2, '0')}`,
      ts,
      anonymousId: `a-${key}`,
      url: 'https://shop.test/',
    };
    if (i === 0)
      events.push({
        ...base,
        type: 'page_view',
        path: '/',
        props: SOURCES[Math.floor(random() * SOURCES.length)],
      });
    else if (i === 1)
      events.push({
        ...base,
        type: 'identify',
        traits: {
          email: `${key}@bench.test`,
          role: random() < 0.3 ? 'vp' : 'engineer',
          companySize: random() < 0.4 ? 500 : 20,
        },
      });
    else if (random() < 0.15)
      events.push({ ...base, type: 'download', props: { ext: 'pdf', file: 'guide.pdf' } });
    else events.push({ ...base, type: 'page_view', path: PAGES[Math.floor(random() * PAGES.length)] });
  }
  return events;
}

/** Fills the database through the storage API, as the collector's ingest does, 1,000 contacts a transaction. */
async function seed(storage: Storage): Promise<{ positives: number; browsedOn: number }> {
  let positives = 0;
  let browsedOn = 0;
  for (let from = 0; from < CONTACTS; from += PER_TX) {
    await storage.transaction(async (tx) => {
      for (let k = from; k < Math.min(CONTACTS, from + PER_TX); k++) {
        const key = `c${String(k).padStart(7, '0')}`;
        const events = visitorEvents(key, NOW - 30 * DAY + Math.floor(random() * 20 * DAY));
        const state = foldEvents(MODEL, createState(MODEL), events);
        const first = events[0] as TrackedEvent;
        const last = events.at(-1) as TrackedEvent;
        const score = resultOf(MODEL, state, { now: NOW });
        const converted = random() < 0.08 + Math.min(0.5, score.total / 200);
        // Half the buyers keep browsing after the sale: their last 5 events come after it.
        const keptBrowsing = converted && random() < 0.5;
        const sqlAt = keptBrowsing ? (events[14] as TrackedEvent).ts + 60_000 : last.ts + HOUR;
        const contact: ContactRecord = {
          id: `contact-${key}`,
          siteKey: SITE_KEY,
          stage: converted ? 'sql' : score.mql ? 'mql' : 'lead',
          email: `${key}@bench.test`,
          state,
          score,
          eventCount: events.length,
          createdAt: first.ts,
          updatedAt: last.ts,
          firstSeenAt: first.ts,
          lastSeenAt: last.ts,
          mqlAt: score.mql ? last.ts : null,
          mqlArmed: true,
          revenue: null,
          channel: firstTouchChannel(first),
          reached: {
            visitor: first.ts,
            lead: (events[1] as TrackedEvent).ts,
            ...(score.mql || converted ? { mql: last.ts } : {}),
            ...(converted ? { sql: sqlAt } : {}),
          },
          accountId: null,
        };
        if (converted) positives++;
        if (keptBrowsing) browsedOn++;
        await tx.createContact(contact, first.anonymousId);
        await tx.linkEmail(SITE_KEY, contact.email as string, contact.id);
        await tx.insertEvents(
          events.map((event) => ({
            siteKey: SITE_KEY,
            event,
            contactId: contact.id,
            receivedAt: event.ts,
            bot: false,
            flags: null,
          })),
        );
        if (converted)
          await tx.appendStageChange(contact.id, { from: 'lead', to: 'sql', at: sqlAt, by: 'bench' });
      }
    });
  }
  return { positives, browsedOn };
}

function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The contact pages a review reads, with nothing computed. */
async function readContacts(storage: Storage): Promise<number> {
  let count = 0;
  for (let afterId: string | undefined; ; ) {
    const page = await storage.contactOutcomes(SITE_KEY, { limit: 1000, ...(afterId ? { afterId } : {}) });
    count += page.length;
    if (page.length < 1000) return count;
    afterId = page.at(-1)?.id;
    await yieldTurn();
  }
}

/** Every scored event of the site in id order (the pass a review makes when most contacts need refolding). */
async function readEvents(storage: Storage): Promise<number> {
  let count = 0;
  for (let afterId: string | undefined; ; ) {
    const page = await storage.siteEvents(SITE_KEY, { limit: 2000, ...(afterId ? { afterId } : {}) });
    count += page.length;
    if (page.length < 2000) return count;
    afterId = page.at(-1)?.event.id;
    await yieldTurn();
  }
}

let sent = 0;
/** One browser batch of 20 events for a new visitor; answers its latency in ms. */
async function batch(base: string): Promise<number> {
  sent++;
  const events = visitorEvents(`live${sent}-${process.pid}`, NOW - 6 * DAY);
  const started = performance.now();
  const res = await fetch(`${base}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0' },
    body: JSON.stringify({ siteKey: SITE_KEY, events }),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`batch answered ${res.status}`);
  return performance.now() - started;
}

/** Runs `fn`, answering its result with wall and CPU milliseconds. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const at = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - at, cpuMs: (used.user + used.system) / 1000 };
}

function summary(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { n: ms.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const kept = process.env.BENCH_REVIEW_DB;
const dir = mkdtempSync(join(tmpdir(), 'll-review-bench-'));
try {
  const path = kept ?? join(dir, 'review.db');
  const reuse = kept !== undefined && existsSync(kept);
  process.stdout.write(`load average before: ${load()}\n`);
  if (reuse) process.stdout.write(`reusing ${path}\n`);
  else {
    const seeding = openSqliteStorage(path);
    const seeded = await timed(() => seed(seeding));
    await seeding.close();
    process.stdout.write(
      `seeded ${CONTACTS.toLocaleString('en')} contacts × ${EVENTS} events (${seeded.value.positives.toLocaleString('en')} reached SQL, ${seeded.value.browsedOn.toLocaleString('en')} browsed on after it) through storage transactions in ${(seeded.ms / 1000).toFixed(1)} s\n`,
    );
  }
  // The background checkpointer would still be copying the seeding's WAL into the file (and its CPU
  // counts in this process): checkpoint it before anything is measured.
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const storage = openSqliteStorage(path);
  const collector = await startCollector({ config, storage, assetDirs: [], now: () => NOW });
  try {
    const base = collector.url;
    for (let i = 0; i < 20; i++) await batch(base); // warm-up
    const before: number[] = [];
    for (let i = 0; i < 60; i++) before.push(await batch(base));

    const contactsRead = await timed(() => readContacts(storage));
    const eventsRead = await timed(() => readEvents(storage));
    const review = () =>
      timed(async () => {
        const res = await fetch(`${base}/v1/model/review?outcome=sql&refresh=true`, {
          headers: { authorization: `Bearer ${SECRET}` },
        });
        const body = (await res.json()) as ModelReview;
        if (res.status !== 200) throw new Error(`review answered ${res.status}: ${JSON.stringify(body)}`);
        return body;
      });
    const alone = await review();
    // Again while batches arrive back to back.
    const during: number[] = [];
    let reviewing = true;
    const busy = review().finally(() => {
      reviewing = false;
    });
    while (reviewing) during.push(await batch(base));
    const withBatches = await busy;
    // The worst case: every stored state made for another model (a model just changed, before the
    // rescore), so every contact is folded again in one pass over the site's events.
    const site = { config: { siteKey: SITE_KEY }, model: MODEL, modelHash: 'another-model' } as never;
    const stale = await timed(() => reviewModel(storage, site, 'sql', { now: NOW }));

    const s = (ms: number) => (ms / 1000).toFixed(2);
    const b = summary(before);
    const d = summary(during);
    const f = (v: number) => v.toFixed(1);
    const r = alone.value;
    const base2 = contactsRead.ms + eventsRead.ms;
    process.stdout.write(
      [
        '',
        '| what | contacts | refolded | wall s | CPU s | ratio to bare pass |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        `| bare read: contact pages (contactOutcomes) | ${contactsRead.value.toLocaleString('en')} | | ${s(contactsRead.ms)} | ${s(contactsRead.cpuMs)} | |`,
        `| bare read: every event in id order (siteEvents, ${eventsRead.value.toLocaleString('en')} events) | | | ${s(eventsRead.ms)} | ${s(eventsRead.cpuMs)} | |`,
        `| bare pass: both | | | ${s(base2)} | ${s(contactsRead.cpuMs + eventsRead.cpuMs)} | 1.00 |`,
        `| GET /v1/model/review?outcome=sql&refresh=true | ${r.contacts.toLocaleString('en')} | ${r.refolded.toLocaleString('en')} | ${s(alone.ms)} | ${s(alone.cpuMs)} | ${(alone.ms / base2).toFixed(2)} |`,
        `| the same, batches arriving back to back | ${withBatches.value.contacts.toLocaleString('en')} | ${withBatches.value.refolded.toLocaleString('en')} | ${s(withBatches.ms)} | | ${(withBatches.ms / base2).toFixed(2)} |`,
        `| every state stale (one pass over the events) | ${stale.value.contacts.toLocaleString('en')} | ${stale.value.refolded.toLocaleString('en')} | ${s(stale.ms)} | ${s(stale.cpuMs)} | ${(stale.ms / base2).toFixed(2)} |`,
        '',
        '| ingest batches (20 events, new visitor) | batches | p50 ms | p99 ms | max ms |',
        '| --- | ---: | ---: | ---: | ---: |',
        `| before the review | ${b.n} | ${f(b.p50)} | ${f(b.p99)} | ${f(b.max)} |`,
        `| during the review | ${d.n} | ${f(d.p50)} | ${f(d.p99)} | ${f(d.max)} |`,
        '',
        `review: ${r.positives.toLocaleString('en')} positives, current AUC ${r.current.auc}, ` +
          (r.suggestion
            ? `suggestion AUC ${r.suggestion.auc} (current ${r.suggestion.currentAuc} on the held-out contacts)`
            : `no suggestion: ${r.reason}`),
        `load average after: ${load()}`,
        '',
      ].join('\n'),
    );
  } finally {
    await collector.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
