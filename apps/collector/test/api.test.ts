import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../src/index.js';
import {
  type BatchAnswer,
  BROWSER_UA,
  type ContactDetail,
  contactIdOf,
  type ErrorAnswer,
  ev,
  getSecret,
  MODEL,
  makeConfig,
  ORIGIN,
  type Page,
  postJson,
  readJson,
  sendBatch,
  tempDir,
  testStorage,
} from './fixtures.js';

let collector: RunningCollector;
let tmp: ReturnType<typeof tempDir>;
let base: string;

beforeAll(async () => {
  tmp = tempDir();
  const site = join(tmp.dir, 'site');
  mkdirSync(join(site, 'dashboard'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(site, 'dashboard', 'index.html'), '<h1>dashboard</h1>');
  writeFileSync(join(tmp.dir, 'secret.txt'), 'nope');
  const config = makeConfig({ rateLimit: { perMinute: 60_000, burst: 1000 } });
  collector = await startCollector({
    config,
    ...(await testStorage(join(tmp.dir, 'api.db'))),
    staticDir: site,
    assetDirs: [],
  });
  base = collector.url;
});
afterAll(async () => {
  await collector.close();
  tmp.cleanup();
});

async function identify(anonymousId: string, traits: Record<string, unknown>, ts = Date.now() - 500) {
  return readJson<BatchAnswer>(await sendBatch(base, [ev({ anonymousId, type: 'identify', traits, ts })]));
}

function secretJson(method: string, path: string, body: unknown, secret = 'sk_a_secret_0123456') {
  return fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('errors and auth', () => {
  it('answers the error shape with the right status for each failure', async () => {
    const cases: [Promise<Response>, number, string][] = [
      [postJson(`${base}/v1/batch`, '{"siteKey":'), 400, 'bad_request'],
      [postJson(`${base}/v1/batch`, { siteKey: 'pk_a', events: 'x' }), 400, 'bad_request'],
      [postJson(`${base}/v1/batch`, { events: [] }), 401, 'unauthorized'],
      [postJson(`${base}/v1/batch`, { siteKey: 42, events: [] }), 400, 'bad_request'],
      [postJson(`${base}/v1/batch`, { siteKey: 'nope', events: [] }), 401, 'unauthorized'],
      [postJson(`${base}/v1/batch`, { siteKey: 'sk_a_secret_0123456', events: [] }), 401, 'unauthorized'],
      [fetch(`${base}/v1/leads`), 401, 'unauthorized'],
      [getSecret(`${base}/v1/leads`, 'pk_a'), 401, 'unauthorized'],
      [getSecret(`${base}/v1/leads?limit=0`), 400, 'bad_request'],
      [getSecret(`${base}/v1/leads?stage=boss`), 400, 'bad_request'],
      [getSecret(`${base}/v1/leads?cursor=zzz`), 400, 'bad_request'],
      [getSecret(`${base}/v1/leads?sort=price`), 400, 'bad_request'],
      [getSecret(`${base}/v1/leads?maxScore=high`), 400, 'bad_request'],
      [getSecret(`${base}/v1/leads?owner=Kim&unassigned=true`), 400, 'bad_request'],
      [getSecret(`${base}/v1/leads?unassigned=yes`), 400, 'bad_request'],
      [getSecret(`${base}/v1/leads?q=${'a'.repeat(201)}`), 400, 'bad_request'],
      // A score cursor on a name sort.
      [
        getSecret(`${base}/v1/leads?sort=name&cursor=${Buffer.from('[5,"c"]').toString('base64url')}`),
        400,
        'bad_request',
      ],
      [getSecret(`${base}/v1/leads/does-not-exist`), 404, 'not_found'],
      [getSecret(`${base}/v1/funnel?from=yesterday`), 400, 'bad_request'],
      [
        fetch(`${base}/v1/model?siteKey=pk_a`, { headers: { origin: 'https://evil.test' } }),
        403,
        'forbidden',
      ],
      [fetch(`${base}/v1/nothing`), 404, 'not_found'],
      [
        fetch(`${base}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/xml' },
          body: '<a/>',
        }),
        415,
        'unsupported_media_type',
      ],
    ];
    for (const [request, status, code] of cases) {
      const res = await request;
      const body = await readJson<ErrorAnswer>(res);
      expect([res.status, body.error.code], body.error.message).toEqual([status, code]);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
  });

  it('names the field that is wrong', async () => {
    const res = await postJson(`${base}/v1/batch`, { siteKey: 'pk_a', events: [], dropped: -1 });
    expect((await readJson<ErrorAnswer>(res)).error.message).toMatch(/^dropped:/);
  });

  it('accepts bodies up to the limit (≥ 256 KiB) and answers 413 above it', async () => {
    const filler = 'x'.repeat(1800);
    const events = Array.from({ length: 150 }, () => ev({ anonymousId: 'big', title: filler.slice(0, 500) }));
    const atLimit = JSON.stringify({ siteKey: 'pk_a', events, pad: 'p'.repeat(300 * 1024 - 100_000) });
    expect(atLimit.length).toBeGreaterThan(256 * 1024);
    const ok = await postJson(`${base}/v1/batch`, atLimit);
    expect(ok.status).toBe(200);
    const tooBig = await postJson(`${base}/v1/batch`, {
      siteKey: 'pk_a',
      events: [],
      pad: 'p'.repeat(1024 * 1024),
    });
    expect(tooBig.status).toBe(413);
    expect((await readJson<ErrorAnswer>(tooBig)).error.code).toBe('payload_too_large');
  });

  it('rate-limits per site and IP with 429 and Retry-After', async () => {
    const config = makeConfig({ rateLimit: { perMinute: 60, burst: 3 } });
    const limited = await startCollector({
      config,
      ...(await testStorage(join(tmp.dir, 'rate.db'))),
      assetDirs: [],
    });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i += 1) {
        const res = await sendBatch(limited.url, [], {}, { origin: ORIGIN });
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers.get('retry-after');
          // Browsers must be able to read the 429 and its Retry-After.
          expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
        }
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses.at(-1)).toBe(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // Site B's bucket is separate.
      const b = await postJson(`${limited.url}/v1/batch`, { siteKey: 'pk_b', events: [] });
      expect(b.status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('answers preflights for configured origins only, never with *', async () => {
    const ok = await fetch(`${base}/v1/batch`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toContain('content-type');
    const bad = await fetch(`${base}/v1/batch`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.test' },
    });
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    // Site B's origin is known, but not allowed for site A's key.
    const crossed = await sendBatch(base, [], {}, { origin: 'https://b.test' });
    expect(crossed.status).toBe(403);
    expect(crossed.headers.get('access-control-allow-origin')).toBeNull();
    const leads = await fetch(`${base}/v1/leads`, {
      headers: { origin: ORIGIN, authorization: 'Bearer sk_a_secret_0123456' },
    });
    expect(leads.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('ingest behaviour', () => {
  it('accepts text/plain bodies (sendBeacon)', async () => {
    const e = ev({ anonymousId: 'beacon' });
    const res = await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': BROWSER_UA },
      body: JSON.stringify({ siteKey: 'pk_a', events: [e] }),
    });
    expect((await readJson<BatchAnswer>(res)).acked).toEqual([e.id]);
  });

  it('takes the site key from X-Leadlight-Key', async () => {
    const res = await postJson(
      `${base}/v1/batch`,
      { events: [ev({ anonymousId: 'hdr' })] },
      { 'x-leadlight-key': 'pk_a' },
    );
    expect((await readJson<BatchAnswer>(res)).accepted).toBe(1);
  });

  it('clamps and flags absurd timestamps', async () => {
    const future = ev({ anonymousId: 'clock', ts: Date.now() + 86_400_000 });
    const ancient = ev({ anonymousId: 'clock', ts: 1000 });
    await sendBatch(base, [future, ancient]);
    const events = await readJson<Page<{ id: string; ts: number; flags: { clampedFrom: number } }>>(
      await getSecret(`${base}/v1/leads/${await contactIdOf(base, 'clock')}/events`),
    );
    for (const item of events.items) {
      expect(item.ts).toBeLessThanOrEqual(Date.now());
      expect(item.ts).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(events.items.map((i) => i.flags.clampedFrom).sort()).toEqual([1000, future.ts].sort());
  });

  it('stores bot traffic flagged and never scores it, unless the site scores bots', async () => {
    const botUa = {
      'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    };
    const e = ev({ anonymousId: 'crawler', path: '/pricing' });
    const res = await postJson(`${base}/v1/batch`, { siteKey: 'pk_a', events: [e] }, botUa);
    const answer = await readJson<BatchAnswer>(res);
    expect(answer).toMatchObject({ accepted: 1, bot: true, contactId: null });
    expect(answer.score.total).toBe(0);
    const automated = await readJson<BatchAnswer>(
      await sendBatch(base, [ev({ anonymousId: 'selenium', path: '/pricing' })], { automated: true }),
    );
    expect(automated).toMatchObject({ bot: true, contactId: null });
    // Site B has bots: "score".
    const scored = await postJson(
      `${base}/v1/batch`,
      { siteKey: 'pk_b', automated: true, events: [ev({ anonymousId: 'bot-b', path: '/pricing' })] },
      { 'x-forwarded-for': '9.9.9.9' },
    );
    const b = await readJson<BatchAnswer>(scored);
    expect(b.bot).toBe(false);
    expect(b.score.engagement).toBeGreaterThan(0);
    const funnel = await readJson<{ botEvents: number }>(await getSecret(`${base}/v1/funnel`));
    expect(funnel.botEvents).toBeGreaterThanOrEqual(2);
  });

  it('counts each ignored bot visitor once, however many batches it sends', async () => {
    const bots = async () =>
      readJson<{ botEvents: number; botVisitors: number }>(await getSecret(`${base}/v1/funnel`));
    const send = async (events: ReturnType<typeof ev>[]) => {
      const res = await postJson(
        `${base}/v1/batch`,
        { siteKey: 'pk_a', events },
        { 'user-agent': 'curl/8.5.0' },
      );
      expect((await readJson<BatchAnswer>(res)).bot).toBe(true);
    };
    const before = await bots();
    const first = ev({ anonymousId: 'crawler-many', path: '/a' });
    await send([first]);
    await send([first]);
    await send([
      ev({ anonymousId: 'crawler-many', path: '/b' }),
      ev({ anonymousId: 'crawler-many', path: '/c' }),
    ]);
    await send([ev({ anonymousId: 'crawler-two' }), ev({ anonymousId: 'crawler-two' })]);
    // Events already stored (here under another id) store nothing new: no visitor either.
    await send([{ ...first, anonymousId: 'crawler-copy' }]);
    const after = await bots();
    expect(after.botEvents - before.botEvents).toBe(5);
    expect(after.botVisitors - before.botVisitors).toBe(2);
  });

  it('places older events where they belong: a capped rule keeps its earliest events', async () => {
    const now = Date.now();
    const anon = 'late';
    const first = await readJson<BatchAnswer>(
      await sendBatch(base, [ev({ anonymousId: anon, path: '/pricing', ts: now - 1000 })]),
    );
    expect(first.score.breakdown.find((b) => b.rule === 'pricing')?.count).toBe(1);
    // Three older pricing views: the cap (max 3) must keep the earliest three, which a blind fold would not.
    const older = [1, 2, 3].map((i) => ev({ anonymousId: anon, path: '/pricing', ts: now - 100_000 * i }));
    const second = await readJson<BatchAnswer>(await sendBatch(base, older));
    const pricing = second.score.breakdown.find((b) => b.rule === 'pricing');
    expect(pricing?.count).toBe(3);
    expect(second.state.events).toBe(4);
    expect(second.state.last[0]).toBe(now - 1000);
  });

  it("answers a contact's score and state on GET /v1/score", async () => {
    const answer = await readJson<BatchAnswer>(
      await sendBatch(base, [ev({ anonymousId: 'scored', path: '/pricing' })]),
    );
    expect(answer.contactId).toBeNull();
    const res = await fetch(`${base}/v1/score?siteKey=pk_a&anonymousId=scored`, {
      headers: { origin: ORIGIN },
    });
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const score = await readJson<BatchAnswer>(res);
    expect(score.contactId).toBeNull();
    expect(score.score).toEqual(answer.score);
    expect(score.state).toEqual(answer.state);
    const unknown = await readJson<BatchAnswer>(
      await fetch(`${base}/v1/score?siteKey=pk_a&anonymousId=nobody`),
    );
    expect(unknown.contactId).toBeNull();
    expect(unknown.score.total).toBe(0);
    expect((await fetch(`${base}/v1/score?siteKey=pk_a`)).status).toBe(400);
  });
});

describe('identity, stages and leads', () => {
  it('merges two devices of one email into one contact and rescores', async () => {
    await readJson<BatchAnswer>(
      await sendBatch(base, [
        ev({ anonymousId: 'laptop', path: '/pricing' }),
        ev({ anonymousId: 'laptop', type: 'identify', traits: { email: 'Ann@Example.com', role: 'vp' } }),
      ]),
    );
    await sendBatch(base, [
      ev({ anonymousId: 'phone', type: 'download', props: { ext: 'pdf', file: 'a.pdf' } }),
    ]);
    const laptop = { contactId: await contactIdOf(base, 'laptop') };
    const phone = { contactId: await contactIdOf(base, 'phone') };
    expect(phone.contactId).not.toBe(laptop.contactId);
    const merged = await identify('phone', { email: 'ann@example.COM', companySize: 500 });
    // The phone is told about its own events and traits only (the device view) ...
    expect(merged.contactId).toBeNull();
    expect(merged.score.fit).toBe(15);
    expect(merged.score.breakdown.map((b) => b.rule).sort()).toEqual(['big-company', 'whitepaper']);
    // ... while sales sees one contact made of both devices.
    const detail = await readJson<ContactDetail>(await getSecret(`${base}/v1/leads/${laptop.contactId}`));
    expect(detail.score.fit).toBe(25);
    expect(detail.score.breakdown.map((b) => b.rule).sort()).toEqual([
      'big-company',
      'buyer-role',
      'pricing',
      'whitepaper',
    ]);
    expect(detail.anonymousIds.sort()).toEqual(['laptop', 'phone']);
    expect(detail.email).toBe('ann@example.com');
    expect(detail.eventCount).toBe(4);
    expect(detail.traits).toMatchObject({ role: 'vp', companySize: 500 });
    // The phone's old contact id now answers the surviving contact.
    const old = await readJson<ContactDetail>(await getSecret(`${base}/v1/leads/${phone.contactId}`));
    expect(old.id).toBe(laptop.contactId);
    const visitor = await readJson<ContactDetail>(await getSecret(`${base}/v1/visitors/phone`));
    expect(visitor.id).toBe(laptop.contactId);
    expect((await getSecret(`${base}/v1/visitors/phone`, 'sk_b_secret_0123456')).status).toBe(404);
    expect((await getSecret(`${base}/v1/leads/${laptop.contactId}`, 'sk_b_secret_0123456')).status).toBe(404);
  });

  it('records the MQL crossing once, then sales moves with revenue and a recycle, with full history', async () => {
    const a = await identify('buyer', { email: 'bob@big.example', role: 'director', companySize: 1000 });
    expect(a.score.stage).toBe('lead');
    const crossed = await readJson<BatchAnswer>(
      await sendBatch(base, [ev({ anonymousId: 'buyer', type: 'cta_click', props: { cta: 'demo' } })]),
    );
    expect(crossed.score.stage).toBe('mql');
    const id = await contactIdOf(base, 'buyer');
    let detail = await readJson<ContactDetail>(await getSecret(`${base}/v1/leads/${id}`));
    const mqlAt = detail.mqlAt;
    expect(mqlAt).toBeGreaterThan(0);
    for (const stage of ['sql', 'opportunity']) {
      expect(
        (await secretJson('POST', `/v1/leads/${id}/stage`, { stage, reason: 'call went well' })).status,
      ).toBe(200);
    }
    const won = await secretJson('POST', `/v1/leads/${id}/stage`, {
      stage: 'customer',
      revenue: 12000,
      by: 'Sam',
    });
    detail = await readJson<ContactDetail>(won);
    expect(detail).toMatchObject({ stage: 'customer', revenue: 12000, mqlAt });
    expect(detail.stageHistory.map((c) => `${c.from}>${c.to}`)).toEqual([
      'visitor>lead',
      'lead>mql',
      'mql>sql',
      'sql>opportunity',
      'opportunity>customer',
    ]);
    expect(detail.stageHistory[0]?.by).toBe('system');
    expect(detail.stageHistory.at(-1)).toMatchObject({ by: 'secret-key:Sam', revenue: 12000 });
    const recycled = await readJson<ContactDetail>(
      await secretJson('POST', `/v1/leads/${id}/stage`, { stage: 'lead' }),
    );
    expect(recycled.stage).toBe('lead');
    // Still above the threshold, but a recycled lead only returns to MQL after earning it anew.
    const after = await readJson<BatchAnswer>(
      await sendBatch(base, [ev({ anonymousId: 'buyer', path: '/pricing' })]),
    );
    // The browser is told what its own events earn; sales' recycle is for the secret API to show.
    expect(after.score.stage).toBe('mql');
    detail = await readJson<ContactDetail>(await getSecret(`${base}/v1/leads/${id}`));
    expect(detail.stage).toBe('lead');
    expect(detail.mqlAt).toBe(mqlAt);
    const bad = [
      [{ stage: 'mql' }, 400],
      [{ stage: 'customer', revenue: -5 }, 400],
      [{ stage: 'sql', revenue: 5 }, 400],
      [{}, 400],
    ] as const;
    for (const [body, status] of bad)
      expect((await secretJson('POST', `/v1/leads/${id}/stage`, body)).status).toBe(status);
    expect(
      (await secretJson('POST', `/v1/leads/${id}/stage`, { stage: 'sql' }, 'sk_b_secret_0123456')).status,
    ).toBe(404);
    await sendBatch(base, [ev({ anonymousId: 'anon-only' })]);
    const visitorOnly = await contactIdOf(base, 'anon-only');
    expect((await secretJson('POST', `/v1/leads/${visitorOnly}/stage`, { stage: 'lead' })).status).toBe(400);
  });

  it('searches, filters and sorts leads on the server, paging through the query', async () => {
    type Lead = { id: string; traits: { name?: string }; owner: string | null };
    const people = [
      ['srch-1', 'Quillon Ash', 'quillon@zanzibar.example'],
      ['srch-2', 'Bea Marsh', 'bea@zanzibar.example'],
      ['srch-3', 'Cy Zanzibar', 'cy@elsewhere.example'],
    ];
    for (const [anonymousId, name, email] of people)
      await sendBatch(base, [
        ev({
          anonymousId: anonymousId as string,
          type: 'identify',
          traits: { name, email, company: 'Widgets' },
        }),
      ]);
    const leads = async (query: string) =>
      (await readJson<Page<Lead>>(await getSecret(`${base}/v1/leads?${query}`))).items.map(
        (i) => i.traits.name,
      );
    expect(await leads('q=ZANZIBAR&sort=name')).toEqual(['Bea Marsh', 'Cy Zanzibar', 'Quillon Ash']);
    expect(await leads('q=zanzibar.example%20quill')).toEqual(['Quillon Ash']);
    expect(await leads('q=zanzibar&sort=-name')).toEqual(['Quillon Ash', 'Cy Zanzibar', 'Bea Marsh']);
    const bea = await contactIdOf(base, 'srch-2');
    expect((await secretJson('PUT', `/v1/leads/${bea}/owner`, { owner: 'Kim Park' })).status).toBe(200);
    expect(await leads('q=zanzibar&owner=Kim%20Park')).toEqual(['Bea Marsh']);
    expect(await leads('q=zanzibar&unassigned=true&sort=name')).toEqual(['Cy Zanzibar', 'Quillon Ash']);
    expect(await leads('q=zanzibar&maxScore=-1')).toEqual([]);
    // Pages of one through the cursor each answer gives.
    const paged: (string | undefined)[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Lead> = await readJson(
        await getSecret(`${base}/v1/leads?q=zanzibar&sort=name&limit=1${cursor ? `&cursor=${cursor}` : ''}`),
      );
      paged.push(...page.items.map((i) => i.traits.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(['Bea Marsh', 'Cy Zanzibar', 'Quillon Ash']);
  });

  it('lists leads by score with paging and filters, and pages events oldest first', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await getSecret(`${base}/v1/leads?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page: Page<{ id: string; score: { total: number } }> = await readJson(res);
      all.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    const whole = await readJson<Page<{ id: string; score: { total: number } }>>(
      await getSecret(`${base}/v1/leads?limit=500`),
    );
    expect(all).toEqual(whole.items.map((i) => i.id));
    expect(whole.nextCursor).toBeNull();
    const min = await readJson<Page<{ score: { total: number } }>>(
      await getSecret(`${base}/v1/leads?minScore=30`),
    );
    expect(min.items.length).toBeGreaterThan(0);
    const customers = await readJson<Page<{ stage: string }>>(await getSecret(`${base}/v1/leads?stage=lead`));
    expect(customers.items.every((i) => i.stage === 'lead')).toBe(true);
    const t0 = Date.now() - 10_000;
    await sendBatch(
      base,
      [1, 2, 3, 4, 5].map((i) =>
        ev({ anonymousId: 'pager', ts: t0 + i, type: i % 2 ? 'page_view' : 'download' }),
      ),
    );
    const answer = { contactId: await contactIdOf(base, 'pager') };
    const p1 = await readJson<Page<{ ts: number }>>(
      await getSecret(`${base}/v1/leads/${answer.contactId}/events?limit=3`),
    );
    const p2 = await readJson<Page<{ ts: number }>>(
      await getSecret(`${base}/v1/leads/${answer.contactId}/events?limit=3&cursor=${p1.nextCursor}`),
    );
    expect([...p1.items, ...p2.items].map((e) => e.ts)).toEqual([1, 2, 3, 4, 5].map((i) => t0 + i));
    expect(p2.nextCursor).toBeNull();
    const downloads = await readJson<Page<{ type: string }>>(
      await getSecret(`${base}/v1/leads/${answer.contactId}/events?type=download`),
    );
    expect(downloads.items.map((e) => e.type)).toEqual(['download', 'download']);
  });
});

describe('funnel', () => {
  it('computes rates, mean time and revenue per MQL, overall and by first-touch channel', async () => {
    const t0 = Date.now() - 3 * 86_400_000;
    const people = [
      {
        anon: 'f-google',
        props: { utm_source: 'Google', utm_medium: 'cpc' },
        referrer: undefined,
        win: 30000,
      },
      { anon: 'f-linkedin', props: {}, referrer: 'https://www.linkedin.com/feed', win: 0 },
      { anon: 'f-direct', props: {}, referrer: undefined, win: -1 },
    ];
    const from = t0 - 1000;
    for (const [i, p] of people.entries()) {
      const answer = await readJson<BatchAnswer>(
        await sendBatch(base, [
          ev({
            anonymousId: p.anon,
            ts: t0,
            path: '/',
            url: 'https://shop.test/',
            props: p.props,
            ...(p.referrer ? { referrer: p.referrer } : {}),
          }),
          ev({
            anonymousId: p.anon,
            ts: t0 + 1,
            type: 'identify',
            traits: { email: `f${i}@x.example`, role: 'vp', companySize: 900 },
          }),
          ev({ anonymousId: p.anon, ts: t0 + 2, type: 'cta_click', props: { cta: 'demo' } }),
        ]),
      );
      expect(answer.score.stage).toBe('mql');
      const id = await contactIdOf(base, p.anon);
      if (p.win >= 0) await secretJson('POST', `/v1/leads/${id}/stage`, { stage: 'sql' });
      if (p.win > 0)
        await secretJson('POST', `/v1/leads/${id}/stage`, {
          stage: 'customer',
          revenue: p.win,
        });
    }
    const res = await getSecret(`${base}/v1/funnel?from=${from}&to=${new Date(t0 + 1000).toISOString()}`);
    const funnel = await readJson<{
      contacts: number;
      reached: Record<string, number>;
      mqlToSqlRate: number;
      sqlToCustomerRate: number;
      meanRevenuePerMql: number;
      meanMqlToCustomerMs: number;
      byChannel: { channel: string; contacts: number; mqlToSqlRate: number | null }[];
    }>(res);
    expect(funnel.contacts).toBe(3);
    expect(funnel.reached).toMatchObject({ mql: 3, sql: 2, customer: 1 });
    expect(funnel.mqlToSqlRate).toBeCloseTo(2 / 3, 3);
    expect(funnel.sqlToCustomerRate).toBe(0.5);
    expect(funnel.meanRevenuePerMql).toBe(10000);
    expect(funnel.meanMqlToCustomerMs).toBeGreaterThanOrEqual(0);
    expect(funnel.byChannel.map((c) => c.channel).sort()).toEqual(['direct', 'google / cpc', 'linkedin.com']);
    expect(funnel.byChannel.find((c) => c.channel === 'direct')?.mqlToSqlRate).toBe(0);
    const otherSite = await readJson<{ contacts: number }>(
      await getSecret(`${base}/v1/funnel?from=${from}&to=${t0 + 1000}`, 'sk_b_secret_0123456'),
    );
    expect(otherSite.contacts).toBe(0);
  });
});

describe('model, session, stream, static site', () => {
  it('publishes a validated model with PUT /v1/model and rescores', async () => {
    const bad = await secretJson('PUT', '/v1/model', {
      ...MODEL,
      rules: [{ id: 'x', event: 'page_view', points: 'lots' }],
    });
    expect(bad.status).toBe(400);
    expect((await readJson<ErrorAnswer>(bad)).error.message).toContain('rules[0]');
    expect(
      (
        await fetch(`${base}/v1/model`, {
          method: 'PUT',
          headers: { authorization: 'Bearer pk_a', 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);
    const before = await fetch(`${base}/v1/model?siteKey=pk_a`);
    const next = {
      ...MODEL,
      version: 'test-2',
      rules: [...MODEL.rules, { id: 'home', event: 'page_view', match: { path: '/' }, points: 1 }],
    };
    const put = await secretJson('PUT', '/v1/model', next);
    expect(put.status).toBe(200);
    expect((await readJson<{ rescored: number }>(put)).rescored).toBeGreaterThan(0);
    const after = await fetch(`${base}/v1/model?siteKey=pk_a`);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect((await readJson<{ version: string }>(after)).version).toBe('test-2');
    const score = await readJson<BatchAnswer>(await fetch(`${base}/v1/score?siteKey=pk_a&anonymousId=pager`));
    expect(score.score.modelVersion).toBe('test-2');
    expect(score.score.breakdown.some((b) => b.rule === 'home')).toBe(true);
  });

  it('signs in with a session cookie usable wherever the secret is, and signs out', async () => {
    const wrong = await postJson(`${base}/v1/session`, { secretKey: 'pk_a' });
    expect(wrong.status).toBe(401);
    const form = await fetch(`${base}/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"secretKey":"sk_a_secret_0123456"}',
    });
    expect(form.status).toBe(403);
    const res = await postJson(`${base}/v1/session`, { secretKey: 'sk_a_secret_0123456' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') as string;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0] as string;
    expect((await fetch(`${base}/v1/leads`, { headers: { cookie: pair } })).status).toBe(200);
    await sendBatch(base, [
      ev({ anonymousId: 'cookie-move', type: 'identify', traits: { email: 'c@c.example' } }),
    ]);
    const contact = { contactId: await contactIdOf(base, 'cookie-move') };
    const viaForm = await fetch(`${base}/v1/leads/${contact.contactId}/stage`, {
      method: 'POST',
      headers: { cookie: pair, 'content-type': 'text/plain' },
      body: '{"stage":"sql"}',
    });
    expect(viaForm.status).toBe(403);
    const crossSite = await fetch(`${base}/v1/leads/${contact.contactId}/stage`, {
      method: 'POST',
      headers: { cookie: pair, 'content-type': 'application/json', origin: 'https://evil.test' },
      body: '{"stage":"sql"}',
    });
    expect(crossSite.status).toBe(403);
    const ok = await fetch(`${base}/v1/leads/${contact.contactId}/stage`, {
      method: 'POST',
      headers: { cookie: pair, 'content-type': 'application/json' },
      body: '{"stage":"sql"}',
    });
    expect((await readJson<ContactDetail>(ok)).stageHistory.at(-1)?.by).toBe('session');
    const out = await fetch(`${base}/v1/session`, {
      method: 'DELETE',
      headers: { cookie: pair, 'content-type': 'application/json' },
    });
    expect(out.status).toBe(204);
    expect((await fetch(`${base}/v1/leads`, { headers: { cookie: pair } })).status).toBe(401);
  });

  it('streams score and stage changes of its own site only', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/v1/stream`, {
      headers: { authorization: 'Bearer sk_a_secret_0123456' },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    await reader.read();
    await postJson(
      `${base}/v1/batch`,
      { siteKey: 'pk_b', events: [ev({ anonymousId: 'other-site' })] },
      { 'x-forwarded-for': '7.7.7.7' },
    );
    await sendBatch(base, [
      ev({ anonymousId: 'live', type: 'identify', traits: { email: 'live@x.example' } }),
    ]);
    const answer = { contactId: await contactIdOf(base, 'live') };
    while (!text.includes('event: stage')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    expect(text).toContain('event: score');
    expect(text).toContain(`"contactId":"${answer.contactId}"`);
    expect(text).toContain('"to":"lead"');
    expect(text).not.toContain('other-site');
    expect((await fetch(`${base}/v1/stream`, { headers: { authorization: 'Bearer pk_a' } })).status).toBe(
      401,
    );
  });

  it('serves the static site, /dashboard, and nothing outside the folder', async () => {
    expect(await (await fetch(`${base}/`)).text()).toContain('home');
    const dash = await fetch(`${base}/dashboard`);
    expect(dash.headers.get('content-type')).toContain('text/html');
    expect(await dash.text()).toContain('dashboard');
    expect((await fetch(`${base}/dashboard/`)).status).toBe(200);
    expect((await fetch(`${base}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/../secret.txt`)).status).toBe(404);
    const health = await fetch(`${base}/healthz`);
    expect(await readJson<{ ok: boolean }>(health)).toMatchObject({ ok: true });
  });
});
