// The model review learns from outcomes: leads generated from known weights go through the real API
// (browser batches, then CRM outcomes), and the review must see which rules predict a sale, without
// peeking past each contact's conversion, and suggest points that rank fresh leads about as well as a
// plain logistic regression on the same columns. Runs on SQLite, and on PostgreSQL in the postgres project.
import { join } from 'node:path';
import { seededRandom } from '@leadlight/devtools/seededRandom';
import { evaluate, type ScoringModel, type TrackedEvent, validateModel } from '@leadlight/scoring-core';
import type { ModelReview } from '@leadlight/scoring-core/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../src/index.js';
import { rocAuc } from '../src/review/reviewMath.js';
import { splitFraction, TRAIN_SHARE } from '../src/review/suggestModel.js';
import {
  BROWSER_UA,
  type ContactDetail,
  getSecret,
  makeConfig,
  readJson,
  tempDir,
  testStorage,
} from './fixtures.js';

const SECRET = 'sk_a_secret_0123456';
const WRITE_KEY = 'wk_a_write_key_0123456';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The hand-made model: blog and newsletter overrated, careers rated up though it predicts no sale, demo underrated. */
const HAND = {
  version: 'hand-1',
  halfLifeDays: 30,
  rules: [
    { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
    { id: 'blog', event: 'page_view', match: { path: '/blog*' }, points: 15 },
    { id: 'demo', label: 'Asked for a demo', event: 'cta_click', match: { cta: 'demo' }, points: 5, max: 1 },
    { id: 'newsletter', event: 'form_submit', match: { form: 'newsletter' }, points: 20, max: 1 },
    { id: 'careers', event: 'page_view', match: { path: '/careers*' }, points: 10, max: 1 },
    { id: 'whitepaper', event: 'download', match: { ext: ['pdf'] }, points: 5, max: 2 },
  ],
  fit: [
    { id: 'big-company', trait: 'companySize', gte: 200, points: 15 },
    { id: 'buyer-role', trait: 'role', in: ['vp', 'director'], points: 10 },
  ],
  mql: { total: 50 },
};
const handChecked = validateModel(HAND);
if (!handChecked.ok) throw new Error('the hand-made model does not validate');
const HAND_MODEL = handChecked.model;

/** The truth the leads are drawn from: log-odds per (capped) count. */
const TRUTH = {
  intercept: -2.6,
  pricing: 0.6,
  blog: 0.1,
  demo: 2.2,
  newsletter: 0,
  careers: -1.8,
  whitepaper: 0.5,
  big: 0.9,
  buyer: 1.1,
};

const CHANNELS = [
  { props: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'Brand' }, channel: 'google / cpc' },
  { props: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'generic' }, channel: 'google / cpc' },
  { props: { utm_source: 'linkedin', utm_medium: 'paid', utm_campaign: 'abm' }, channel: 'linkedin / paid' },
  { props: {}, channel: 'direct' },
];

interface Lead {
  key: string;
  email: string;
  events: TrackedEvent[];
  /** Reached SQL (drawn from TRUTH). */
  positive: boolean;
  /** When sales took it (or, for the others, the review judges it): an hour after its last event. */
  convertedAt: number;
  channel: string;
  campaign: string | null;
}

/** Draws `count` leads whose events lie in the day before `end`; positives are drawn from TRUTH. */
function generateLeads(seed: number, count: number, prefix: string, end: number): Lead[] {
  const random = seededRandom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
  const leads: Lead[] = [];
  for (let n = 0; n < count; n++) {
    const key = `${prefix}${n}`;
    const pricing = pick([0, 0, 1, 1, 2, 3, 4]);
    const blog = pick([0, 0, 1, 2, 3]);
    const demo = random() < 0.25 ? 1 : 0;
    const newsletter = random() < 0.4 ? 1 : 0;
    const careers = random() < 0.25 ? 1 : 0;
    const whitepaper = pick([0, 0, 1, 2, 3]);
    const big = random() < 0.4;
    const role = pick(['vp', 'director', 'engineer', 'engineer', 'analyst']);
    const buyer = role === 'vp' || role === 'director';
    const logit =
      TRUTH.intercept +
      TRUTH.pricing * Math.min(pricing, 3) +
      TRUTH.blog * blog +
      TRUTH.demo * demo +
      TRUTH.newsletter * newsletter +
      TRUTH.careers * careers +
      TRUTH.whitepaper * Math.min(whitepaper, 2) +
      (big ? TRUTH.big : 0) +
      (buyer ? TRUTH.buyer : 0);
    const positive = random() < 1 / (1 + Math.exp(-logit));
    const source = pick(CHANNELS);
    const email = `${key}@leads.test`;
    let ts = end - DAY + Math.floor(random() * 2 * HOUR);
    let i = 0;
    const events: TrackedEvent[] = [];
    const add = (event: Partial<TrackedEvent>) => {
      ts += 1 + Math.floor(random() * HOUR);
      i += 1;
      events.push({
        // Every fifth lead's ids run against time: the review's pass in id order meets them late.
        id: `${key}-${String(n % 5 === 0 ? 999 - i : i).padStart(3, '0')}`,
        ts,
        anonymousId: `anon-${key}`,
        ...event,
      } as TrackedEvent);
    };
    add({ type: 'page_view', path: '/', url: 'https://shop.test/', props: source.props });
    const visits: Partial<TrackedEvent>[] = [
      ...Array.from({ length: pricing }, () => ({ type: 'page_view', path: '/pricing' })),
      ...Array.from({ length: blog }, (_, b) => ({ type: 'page_view', path: `/blog/post-${b}` })),
      ...Array.from({ length: demo }, () => ({ type: 'cta_click', props: { cta: 'demo' } })),
      ...Array.from({ length: newsletter }, () => ({ type: 'form_submit', props: { form: 'newsletter' } })),
      ...Array.from({ length: careers }, () => ({ type: 'page_view', path: '/careers' })),
      ...Array.from({ length: whitepaper }, (_, w) => ({
        type: 'download',
        props: { ext: 'pdf', file: `wp-${w}.pdf` },
      })),
    ];
    // Shuffled, with the identify somewhere in the middle.
    for (let k = visits.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [visits[k], visits[j]] = [visits[j] as Partial<TrackedEvent>, visits[k] as Partial<TrackedEvent>];
    }
    visits.splice(Math.floor(random() * (visits.length + 1)), 0, {
      type: 'identify',
      traits: { email, role, companySize: big ? 500 : 40 },
    });
    for (const visit of visits) add(visit);
    const convertedAt = ts + HOUR;
    const campaign =
      typeof source.props.utm_campaign === 'string' ? source.props.utm_campaign.toLowerCase() : null;
    leads.push({ key, email, events, positive, convertedAt, channel: source.channel, campaign });
  }
  return leads;
}

/** The hand-made model with every point set to 1: its breakdown gives the review's columns. */
const UNIT: ScoringModel = {
  ...HAND_MODEL,
  version: 'unit',
  rules: HAND_MODEL.rules.map((r) => ({ ...r, points: 1 })),
  fit: HAND_MODEL.fit.map((r) => ({ ...r, points: 1 })),
};
const COLUMNS = [...HAND.rules.map((r) => r.id), ...HAND.fit.map((r) => r.id)];

/** Decayed capped counts and fit 0/1 at `now`, read off scoring-core's own breakdown. */
function columnsOf(events: TrackedEvent[], now: number): number[] {
  const result = evaluate(
    UNIT,
    events.filter((e) => e.ts < now),
    { now },
  );
  return COLUMNS.map((id) => result.breakdown.find((b) => b.rule === id)?.points ?? 0);
}

/** A plain L2 logistic regression by gradient descent on standardized columns (the yardstick). */
function plainLogistic(rows: number[][], labels: number[]): number[] {
  const d = rows[0]?.length ?? 0;
  const mean = Array.from(
    { length: d },
    (_, j) => rows.reduce((s, r) => s + (r[j] as number), 0) / rows.length,
  );
  const sd = Array.from(
    { length: d },
    (_, j) =>
      Math.sqrt(rows.reduce((s, r) => s + ((r[j] as number) - (mean[j] as number)) ** 2, 0) / rows.length) ||
      1,
  );
  const z = rows.map((r) => r.map((v, j) => (v - (mean[j] as number)) / (sd[j] as number)));
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let step = 0; step < 3000; step++) {
    const grad = new Array<number>(d).fill(0);
    let gb = 0;
    z.forEach((row, i) => {
      const p = 1 / (1 + Math.exp(-(b + row.reduce((s, v, j) => s + v * (w[j] as number), 0))));
      const r = p - (labels[i] as number);
      gb += r;
      row.forEach((v, j) => {
        grad[j] = (grad[j] as number) + r * v;
      });
    });
    for (let j = 0; j < d; j++)
      w[j] = (w[j] as number) - (0.5 * ((grad[j] as number) + (w[j] as number))) / rows.length;
    b -= (0.5 * gb) / rows.length;
  }
  return w.map((v, j) => v / (sd[j] as number));
}

let collector: RunningCollector;
let tmp: ReturnType<typeof tempDir>;
let base: string;
let clock = Date.UTC(2026, 11, 10, 12);
const leads = generateLeads(2026, 400, 'lead', clock - 2 * HOUR);
const positives = leads.filter((l) => l.positive);
/** Contact ids by lead key. */
const ids = new Map<string, string>();

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const bearer = { authorization: `Bearer ${SECRET}` };
const basic = { authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}` };

async function review(query = 'outcome=sql&refresh=true'): Promise<ModelReview & { refreshing: boolean }> {
  const res = await getSecret(`${base}/v1/model/review?${query}`);
  expect(res.status).toBe(200);
  return readJson(res);
}

beforeAll(async () => {
  tmp = tempDir();
  collector = await startCollector({
    config: makeConfig({
      model: HAND,
      writeKey: WRITE_KEY,
      rateLimit: { perMinute: 1_000_000, burst: 100_000 },
      spend: {
        currency: 'EUR',
        channels: { 'google / cpc': 1200, 'linkedin / paid': 900 },
        campaigns: { brand: 300 },
      },
    }),
    ...(await testStorage(join(tmp.dir, 'review.db'))),
    assetDirs: [],
    now: () => clock,
  });
  base = collector.url;
  // Every lead's browser sends its events as a browser would (text/plain, no Origin), one batch each;
  // positives also browse after the sale, which the review must not see.
  for (const lead of leads) {
    const after = lead.positive
      ? [1, 2, 3].map((k) => ({
          id: `${lead.key}-after-${k}`,
          type: 'page_view',
          ts: lead.convertedAt + k * 60_000,
          anonymousId: `anon-${lead.key}`,
          path: '/pricing',
        }))
      : [];
    const res = await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
      body: JSON.stringify({ siteKey: 'pk_a', events: [...lead.events, ...after] }),
    });
    expect(res.status).toBe(200);
    expect((await readJson<{ rejected: unknown[] }>(res)).rejected).toEqual([]);
  }
  // Anonymous visitors are no part of the review.
  for (let v = 0; v < 5; v++) {
    await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
      body: JSON.stringify({
        siteKey: 'pk_a',
        events: [
          {
            id: `visitor-${v}`,
            type: 'page_view',
            ts: clock - HOUR,
            anonymousId: `visitor-${v}`,
            path: '/pricing',
          },
        ],
      }),
    });
  }
  for (const lead of leads) {
    const res = await getSecret(`${base}/v1/visitors/anon-${lead.key}`);
    ids.set(lead.key, (await readJson<ContactDetail>(res)).id);
  }
}, 180_000);

afterAll(async () => {
  await collector?.close();
  tmp?.cleanup();
});

describe('POST /v1/outcomes', () => {
  it('refuses callers without the secret or write key, and bad envelopes', async () => {
    expect((await post('/v1/outcomes', { items: [] })).status).toBe(401);
    expect((await post('/v1/outcomes', { items: [] }, { authorization: 'Bearer pk_a' })).status).toBe(401);
    const badBasic = { authorization: `Basic ${Buffer.from('wk_wrong_0123456789:').toString('base64')}` };
    expect((await post('/v1/outcomes', { items: [{ email: 'x@y.z', stage: 'sql' }] }, badBasic)).status).toBe(
      401,
    );
    const empty = await post('/v1/outcomes', { items: [] }, bearer);
    expect(empty.status).toBe(400);
    expect((await readJson<{ error: { message: string } }>(empty)).error.message).toContain('items');
  });

  it('answers per item: unknown people and refused moves are errors, the rest is recorded', async () => {
    // A lead below the MQL threshold: it cannot be recycled.
    const someone = leads.find((l) => evaluate(HAND_MODEL, l.events, { now: clock }).total < 40) as Lead;
    const res = await post(
      '/v1/outcomes',
      {
        items: [
          { email: 'nobody@leads.test', stage: 'sql' },
          { contactId: 'no-such-contact', stage: 'sql' },
          { email: someone.email, stage: 'sql', revenue: 10 },
          { email: someone.email, stage: 'won' },
          { email: someone.email, stage: 'sql', at: clock + DAY },
          { email: someone.email, userId: 'u1', stage: 'sql' },
          { userId: 'nobody', stage: 'sql' },
          { email: someone.email, stage: 'lead' },
        ],
      },
      bearer,
    );
    expect(res.status).toBe(200);
    const body = await readJson<{ recorded: number; results: { index: number; error?: string }[] }>(res);
    expect(body.recorded).toBe(0);
    expect(body.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const errors = body.results.map((r) => r.error ?? '');
    expect(errors[0]).toContain('items[0].email: no contact');
    expect(errors[1]).toContain('items[1].contactId');
    expect(errors[2]).toContain('revenue: only with stage');
    expect(errors[3]).toContain('stage: expected');
    expect(errors[4]).toContain('at: in the future');
    expect(errors[5]).toContain('exactly one of');
    expect(errors[6]).toContain('items[6].userId: no contact');
    expect(errors[7]).toContain('cannot recycle');
  });

  it("another site's contact looks exactly missing", async () => {
    const res = await post(
      '/v1/outcomes',
      { items: [{ contactId: ids.get('lead0'), stage: 'sql' }] },
      {
        authorization: 'Bearer sk_b_secret_0123456',
      },
    );
    const body = await readJson<{ results: { error?: string }[] }>(res);
    expect(body.results[0]?.error).toContain('no such contact');
  });
});

describe('GET /v1/model/review', () => {
  it('has no suggestion before there are outcomes, and says why', async () => {
    const res = await getSecret(`${base}/v1/model/review`);
    expect(res.status).toBe(200);
    const first = await readJson<ModelReview>(res);
    expect(first).toMatchObject({ outcome: 'sql', contacts: leads.length, positives: 0, suggestion: null });
    expect(first.reason).toContain('at least 30');
    expect((await getSecret(`${base}/v1/model/review?outcome=won`)).status).toBe(400);
    expect((await fetch(`${base}/v1/model/review`)).status).toBe(401);
  });

  it('learns from outcomes recorded through the API, dated when sales took the leads', async () => {
    // The CRM reports its deals: by email (a third dated by ISO string), by contact id for the rest.
    const items = positives.map((lead, k) =>
      k % 3 === 0
        ? { email: lead.email.toUpperCase(), stage: 'sql', at: new Date(lead.convertedAt).toISOString() }
        : k % 3 === 1
          ? { email: lead.email, stage: 'sql', at: lead.convertedAt }
          : { contactId: ids.get(lead.key), stage: 'sql', at: lead.convertedAt },
    );
    const res = await post('/v1/outcomes', { items }, basic);
    expect(res.status).toBe(200);
    const body = await readJson<{ recorded: number; results: { contactId?: string; error?: string }[] }>(res);
    expect(body.results.filter((r) => r.error)).toEqual([]);
    expect(body.recorded).toBe(positives.length);
    const sample = positives[0] as Lead;
    const detail = await readJson<ContactDetail>(await getSecret(`${base}/v1/leads/${ids.get(sample.key)}`));
    expect(detail.stage).toBe('sql');
    expect(detail.stageHistory.at(-1)).toMatchObject({ to: 'sql', at: sample.convertedAt, by: 'write-key' });

    clock += HOUR;
    const result = await review();
    expect(result.contacts).toBe(leads.length);
    expect(result.positives).toBe(positives.length);
    expect(result.computedAt).toBe(clock);

    // Every positive was taken an hour after its last event: the others are judged an hour after theirs.
    expect(result.negativeCutoff).toEqual({
      delays: positives.length,
      p10DelayMs: HOUR,
      medianDelayMs: HOUR,
      p90DelayMs: HOUR,
      judgedEarlier: leads.length - positives.length,
    });
    // The current model's figures equal scoring-core's scores at each cutoff (nothing after a sale counts).
    const cutoffs = leads.map((l) => l.convertedAt);
    const totals = leads.map((l, i) => evaluate(HAND_MODEL, l.events, { now: cutoffs[i] as number }).total);
    const labels = leads.map((l) => (l.positive ? 1 : 0));
    expect(result.current.auc).toBeCloseTo(rocAuc(totals, labels) as number, 4);
    const mqls = totals.filter((t) => t >= 50).length;
    const hits = totals.filter((t, i) => t >= 50 && labels[i]).length;
    expect(result.current.mqls).toBe(mqls);
    expect(result.current.precision).toBeCloseTo(hits / mqls, 4);
    expect(result.current.recall).toBeCloseTo(hits / positives.length, 4);

    // The same cutoff scores, bucketed for won and lost leads, and the MQL line moved along them.
    const { width, buckets } = result.distribution;
    expect(buckets.length).toBeGreaterThan(3);
    expect(buckets.length).toBeLessThanOrEqual(12);
    for (const b of buckets) {
      const inside = (t: number) => t >= b.from && t < b.to;
      expect(b.to - b.from).toBe(width);
      expect(b.positives).toBe(totals.filter((t, i) => inside(t) && labels[i]).length);
      expect(b.negatives).toBe(totals.filter((t, i) => inside(t) && !labels[i]).length);
    }
    const atToday = result.tradeoff.find((row) => row.total === 50)!;
    expect(atToday).toEqual({
      total: 50,
      mqls,
      precision: result.current.precision,
      recall: result.current.recall,
    });
    expect(result.tradeoff[0]).toMatchObject({ total: buckets[0]?.from, mqls: leads.length, recall: 1 });
    const selected = result.tradeoff.map((row) => row.mqls);
    expect(selected).toEqual([...selected].sort((x, y) => y - x));

    // Lifts point the way the truth does.
    const rule = (id: string) => result.rules.find((r) => r.id === id)!;
    expect(result.rules.map((r) => [r.id, r.kind])).toEqual(
      COLUMNS.map((id, j) => [id, j < 6 ? 'engagement' : 'fit']),
    );
    expect(rule('demo').label).toBe('Asked for a demo');
    expect(rule('demo').interval![0]).toBeGreaterThan(1);
    expect(rule('buyer-role').interval![0]).toBeGreaterThan(1);
    expect(rule('pricing').lift!).toBeGreaterThan(1);
    expect(rule('careers').interval![1]).toBeLessThan(1);
    expect(rule('newsletter').interval![0]).toBeLessThan(1);
    expect(rule('newsletter').interval![1]).toBeGreaterThan(1);
    const demoFired = leads.filter((l) => l.events.some((e) => e.type === 'cta_click'));
    expect(rule('demo').fired).toBe(demoFired.length);
    expect(rule('demo').firedPositives).toBe(demoFired.filter((l) => l.positive).length);

    // Channels and campaigns of the first touch, with costs where the site gave its spend.
    const google = result.channels.find((c) => c.channel === 'google / cpc')!;
    const googleLeads = leads.filter((l) => l.channel === 'google / cpc');
    expect(google.contacts).toBe(googleLeads.length);
    expect(google.sqls).toBe(googleLeads.filter((l) => l.positive).length);
    expect(google.costPerSql).toBeCloseTo(1200 / google.sqls, 2);
    expect(result.channels.find((c) => c.channel === 'direct')?.spend).toBeUndefined();
    expect(result.channels.reduce((s, c) => s + c.contacts, 0)).toBe(leads.length);
    const brand = result.campaigns.find((c) => c.campaign === 'brand')!;
    expect(brand.contacts).toBe(leads.filter((l) => l.campaign === 'brand').length);
    expect(brand.spend).toBe(300);
    expect(result.currency).toBe('EUR');

    // The suggestion: the same rules with points re-fitted, a valid model.
    const suggestion = result.suggestion!;
    expect(suggestion).not.toBeNull();
    const checked = validateModel(suggestion.model);
    expect(checked.ok).toBe(true);
    const strip = (m: ScoringModel) => ({
      rules: m.rules.map(({ points: _p, ...rest }) => rest),
      fit: m.fit.map(({ points: _p, ...rest }) => rest),
      halfLifeDays: m.halfLifeDays,
    });
    expect(strip(suggestion.model)).toEqual(strip(HAND_MODEL));
    const points = (id: string) =>
      [...suggestion.model.rules, ...suggestion.model.fit].find((r) => r.id === id)!.points;
    expect(points('careers')).toBeLessThan(0);
    expect(points('demo')).toBeGreaterThan(points('newsletter'));
    expect(points('demo')).toBeGreaterThan(points('blog'));
    expect(suggestion.model.mql.total).toBe(suggestion.threshold);
    expect(Math.abs(suggestion.selects - suggestion.currentSelects)).toBeLessThanOrEqual(
      Math.max(3, suggestion.currentSelects * 0.1),
    );
    expect(suggestion.currentSelects).toBe(mqls);
    expect(suggestion.auc!).toBeGreaterThan(suggestion.currentAuc!);
    expect(suggestion.trainContacts + suggestion.testContacts).toBe(leads.length);

    // Fresh leads, scored with both models by scoring-core: the suggestion ranks them clearly better than
    // the hand-made model, and within 0.02 AUC of a plain L2 logistic regression on the same columns.
    const fresh = generateLeads(77, 3000, 'fresh', clock);
    const freshLabels = fresh.map((l) => (l.positive ? 1 : 0));
    const scoreWith = (model: ScoringModel) =>
      fresh.map((l) => evaluate(model, l.events, { now: l.convertedAt }).total);
    const handAuc = rocAuc(scoreWith(HAND_MODEL), freshLabels) as number;
    const suggestedAuc = rocAuc(scoreWith(suggestion.model), freshLabels) as number;
    // The yardstick learns from the same contacts the suggestion was fitted on (the review's 70 % split).
    const trained = leads
      .map((_lead, i) => i)
      .filter((i) => splitFraction(ids.get(leads[i]!.key)!) < TRAIN_SHARE);
    expect(trained.length).toBe(suggestion.trainContacts);
    const weights = plainLogistic(
      trained.map((i) => columnsOf(leads[i]!.events, cutoffs[i] as number)),
      trained.map((i) => labels[i] as number),
    );
    const plainScores = fresh.map((l) =>
      columnsOf(l.events, l.convertedAt).reduce((s, v, j) => s + v * (weights[j] as number), 0),
    );
    const plainAuc = rocAuc(plainScores, freshLabels) as number;
    expect(suggestedAuc).toBeGreaterThan(handAuc + 0.05);
    expect(suggestedAuc).toBeGreaterThan(plainAuc - 0.02);
  });

  it('answers from the cache, and refreshes it after new outcomes', async () => {
    const cached = await review('outcome=sql');
    expect(cached.refreshing).toBe(false);
    const computedAt = cached.computedAt;
    const lead = leads.find((l) => !l.positive)!;
    clock += HOUR;
    const res = await post(
      '/v1/outcomes',
      { items: [{ email: lead.email, stage: 'sql', at: clock - 1000 }] },
      bearer,
    );
    expect((await readJson<{ recorded: number }>(res)).recorded).toBe(1);
    const stale = await review('outcome=sql');
    expect(stale.computedAt).toBe(computedAt);
    await expect.poll(async () => (await review('outcome=sql')).positives).toBe(positives.length + 1);
    expect((await review('outcome=sql')).computedAt).toBe(clock);
  });

  it('reviews other outcomes: customers dated by the CRM, with revenue per channel', async () => {
    const won = positives.slice(0, 12);
    const res = await post(
      '/v1/outcomes',
      {
        items: won.map((l) => ({
          email: l.email,
          stage: 'customer',
          revenue: 1000,
          at: l.convertedAt + 30 * 60_000,
        })),
      },
      bearer,
    );
    expect((await readJson<{ recorded: number }>(res)).recorded).toBe(won.length);
    const result = await review('outcome=customer&refresh=1');
    expect(result.positives).toBe(won.length);
    expect(result.suggestion).toBeNull();
    expect(result.reason).toContain(`there are ${won.length} and`);
    expect(result.channels.reduce((s, c) => s + c.revenue, 0)).toBe(won.length * 1000);
    expect(result.channels.reduce((s, c) => s + c.customers, 0)).toBe(won.length);
  });
});
