import { createHash, createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackedEvent } from '@leadlight/scoring-core';
import type { AuditItem, ErasureAnswer } from '@leadlight/scoring-core/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../src/index.js';
import {
  type BatchAnswer,
  type ContactDetail,
  contactIdOf,
  ev,
  getSecret,
  makeConfig,
  type Page,
  postJson,
  readJson,
  sendBatch,
  tempDir,
  testStorage,
} from './fixtures.js';

const SECRET = 'sk_a_secret_0123456';
const IDENTITY_SECRET = 'id_secret_for_privacy_tests';
const HOOK_SECRET = 'whsec_privacy_0123456789';
const DAY = 86_400_000;

/** Captures webhook deliveries without a network (the injected transport). */
function hookRecorder() {
  const deliveries: { event: string; body: string }[] = [];
  const fetchHook = (async (_url: string | URL | Request, init?: RequestInit) => {
    const headers = init?.headers as Record<string, string>;
    deliveries.push({ event: headers['leadlight-event'] ?? '', body: String(init?.body) });
    return new Response(null, { status: 204 });
  }) as typeof fetch;
  return { deliveries, fetchHook };
}

function token(email: string): string {
  return createHmac('sha256', IDENTITY_SECRET).update(email.trim().toLowerCase()).digest('hex');
}

function send(collector: RunningCollector, events: TrackedEvent[], extra: Record<string, unknown> = {}) {
  return sendBatch(collector.url, events, extra).then((res) => readJson<BatchAnswer>(res));
}

function secretCall(collector: RunningCollector, method: string, path: string, body?: unknown) {
  return fetch(`${collector.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${SECRET}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Every file SQLite keeps for the database (main file, -wal, -shm), read raw. */
function sqliteFiles(dbPath: string): Buffer[] {
  const dir = join(dbPath, '..');
  const name = dbPath.split('/').pop() as string;
  return readdirSync(dir)
    .filter((f) => f.startsWith(name))
    .map((f) => readFileSync(join(dir, f)));
}

function holds(files: Buffer[], text: string): boolean {
  return files.some((file) => file.includes(Buffer.from(text, 'utf8')));
}

describe('erasure', () => {
  let collector: RunningCollector;
  let tmp: ReturnType<typeof tempDir>;
  let storage: { dbPath: string } | { databaseUrl: string };
  const hooks = hookRecorder();

  beforeAll(async () => {
    tmp = tempDir();
    storage = await testStorage(join(tmp.dir, 'erase.db'));
    collector = await startCollector({
      config: makeConfig({
        identitySecret: IDENTITY_SECRET,
        webhooks: [
          { url: 'https://crm.test/hook', secret: HOOK_SECRET, events: ['lead.mql', 'lead.erased'] },
        ],
        rateLimit: { perMinute: 60_000, burst: 1000 },
      }),
      ...storage,
      assetDirs: [],
      fetch: hooks.fetchHook,
      webhookRetry: { pollMs: 50 },
    });
  });
  afterAll(async () => {
    await collector.close();
    tmp.cleanup();
  });

  it('removes the person entirely, answers counts, audits it, tells the CRM, leaves no bytes in SQLite', async () => {
    const email = 'Zelda.Quack@erase.test';
    const name = 'Zelda Quackenbush';
    const [phone, laptop, other] = [
      'anon-erase-phone-7f3a9c',
      'anon-erase-laptop-7f3a9c',
      'anon-keep-7f3a9c',
    ];
    await send(collector, [
      ev({ anonymousId: phone, path: '/pricing' }),
      ev({ anonymousId: phone, path: '/pricing/teams' }),
      ev({ anonymousId: phone, type: 'download', props: { file: 'guide.pdf', ext: 'pdf' } }),
      ev({
        anonymousId: phone,
        type: 'identify',
        traits: { email, name, company: 'Quack Co', role: 'vp', companySize: 500 },
        props: { identityToken: token(email) },
      }),
      ev({ anonymousId: phone, type: 'cta_click', props: { cta: 'demo' } }),
    ]);
    await send(collector, [
      ev({ anonymousId: other, type: 'identify', traits: { email: 'keep@erase.test' } }),
    ]);
    // The laptop is first an anonymous contact of its own, then joins the phone's contact (a redirect).
    await send(collector, [ev({ anonymousId: laptop, path: '/blog' })]);
    const laptopContact = await contactIdOf(collector.url, laptop);
    await send(collector, [ev({ anonymousId: laptop, type: 'identify', traits: { email } })]);
    // Bot-flagged traffic of the same browser is attached to no contact.
    await send(collector, [ev({ anonymousId: phone, path: '/robots' })], { automated: true });
    const id = await contactIdOf(collector.url, phone);
    expect(await contactIdOf(collector.url, laptop)).toBe(id);
    expect((await getSecret(`${collector.url}/v1/leads/${laptopContact}`)).status).toBe(200);
    const moved = await secretCall(collector, 'POST', `/v1/leads/${id}/stage`, { stage: 'sql', by: 'Sam' });
    expect(moved.status).toBe(200);
    await expect.poll(() => hooks.deliveries.filter((d) => d.event === 'lead.mql').length).toBe(1);
    const funnelBefore = await readJson<{ contacts: number }>(await getSecret(`${collector.url}/v1/funnel`));

    const res = await secretCall(collector, 'DELETE', `/v1/leads/${laptopContact}`, { by: 'Dana' });
    expect(res.status).toBe(200);
    const answer = await readJson<ErasureAnswer>(res);
    expect(answer).toEqual({
      contactId: id,
      erased: {
        contacts: 1,
        events: 8,
        devices: 2,
        emails: 1,
        stageChanges: 3,
        notes: 0,
        outbox: 1,
        redirects: 1,
      },
    });

    for (const path of [
      `/v1/leads/${id}`,
      `/v1/leads/${laptopContact}`,
      `/v1/leads/${id}/events`,
      `/v1/leads/${id}/export`,
      `/v1/visitors/${phone}`,
      `/v1/visitors/${laptop}`,
    ]) {
      expect((await getSecret(`${collector.url}${path}`)).status, path).toBe(404);
    }
    const leads = await readJson<Page<ContactDetail>>(await getSecret(`${collector.url}/v1/leads?limit=500`));
    expect(leads.items.map((c) => c.id)).not.toContain(id);
    expect(leads.items.map((c) => c.email)).toContain('keep@erase.test');
    const funnelAfter = await readJson<{ contacts: number }>(await getSecret(`${collector.url}/v1/funnel`));
    expect(funnelAfter.contacts).toBe(funnelBefore.contacts - 1);
    expect((await secretCall(collector, 'DELETE', `/v1/leads/${id}`)).status).toBe(404);

    const audit = await readJson<Page<AuditItem>>(await getSecret(`${collector.url}/v1/audit`));
    expect(audit.items[0]).toMatchObject({
      action: 'erase_contact',
      contactId: id,
      by: 'secret-key:Dana',
      counts: answer.erased,
    });
    expect(JSON.stringify(audit)).not.toMatch(/zelda|quack/i);

    await expect.poll(() => hooks.deliveries.filter((d) => d.event === 'lead.erased').length).toBe(1);
    const erasedHook = hooks.deliveries.find((d) => d.event === 'lead.erased') as { body: string };
    expect(JSON.parse(erasedHook.body)).toMatchObject({
      type: 'lead.erased',
      data: {
        contact: {
          id,
          emailHash: createHash('sha256').update(email.toLowerCase()).digest('hex'),
        },
        by: 'secret-key:Dana',
      },
    });
    expect(erasedHook.body).not.toMatch(/zelda|quack|anon-erase/i);

    if ('dbPath' in storage) {
      const files = sqliteFiles(storage.dbPath);
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const secret of [email, email.toLowerCase(), name, 'Quack Co', phone, laptop]) {
        expect(holds(files, secret), secret).toBe(false);
      }
      // The check itself finds what is still held.
      expect(holds(files, 'keep@erase.test')).toBe(true);
    }
  });

  it('lets a later event of an erased browser start a fresh anonymous record, never the old contact', async () => {
    const anon = 'anon-return-7f3a9c';
    const first = ev({ anonymousId: anon, type: 'identify', traits: { email: 'back@erase.test' } });
    await send(collector, [first, ev({ anonymousId: anon, path: '/pricing' })]);
    const old = await contactIdOf(collector.url, anon);
    expect((await secretCall(collector, 'DELETE', `/v1/leads?email=BACK@erase.test`)).status).toBe(200);
    // The worker's queue may send an erased event again; it is new to the collector now.
    const again = await send(collector, [first, ev({ anonymousId: anon, path: '/docs' })]);
    expect(again.accepted).toBe(2);
    const fresh = await readJson<ContactDetail>(await getSecret(`${collector.url}/v1/visitors/${anon}`));
    expect(fresh.id).not.toBe(old);
    expect(fresh.eventCount).toBe(2);
    expect((await getSecret(`${collector.url}/v1/leads/${old}`)).status).toBe(404);
    expect((await secretCall(collector, 'DELETE', `/v1/leads?email=nobody@erase.test`)).status).toBe(404);
    expect((await secretCall(collector, 'DELETE', `/v1/leads`)).status).toBe(400);
  });

  it('erases one browser of a contact; an anonymous contact goes with its only browser', async () => {
    const [desk, mobile, lone] = ['anon-desk-7f3a9c', 'anon-mobile-7f3a9c', 'anon-lone-7f3a9c'];
    await send(collector, [
      ev({ anonymousId: desk, type: 'identify', traits: { email: 'two@erase.test' } }),
      ev({ anonymousId: desk, path: '/pricing' }),
    ]);
    await send(collector, [
      ev({ anonymousId: mobile, type: 'identify', traits: { email: 'two@erase.test' } }),
      ev({ anonymousId: mobile, path: '/pricing/a' }),
      ev({ anonymousId: mobile, path: '/pricing/b' }),
    ]);
    const id = await contactIdOf(collector.url, desk);
    const res = await secretCall(collector, 'DELETE', `/v1/visitors/${mobile}`);
    expect(res.status).toBe(200);
    expect(await readJson<ErasureAnswer>(res)).toMatchObject({
      contactId: id,
      erased: { contacts: 0, events: 3, devices: 1 },
    });
    const kept = await readJson<ContactDetail>(await getSecret(`${collector.url}/v1/leads/${id}`));
    expect(kept.anonymousIds).toEqual([desk]);
    expect(kept.eventCount).toBe(2);
    expect(kept.score.engagement).toBe(10);
    const events = await readJson<Page<TrackedEvent>>(
      await getSecret(`${collector.url}/v1/leads/${id}/events`),
    );
    expect(events.items.every((e) => e.anonymousId === desk)).toBe(true);
    expect((await getSecret(`${collector.url}/v1/visitors/${mobile}`)).status).toBe(404);

    await send(collector, [ev({ anonymousId: lone, path: '/pricing' })]);
    const loneId = await contactIdOf(collector.url, lone);
    const gone = await readJson<ErasureAnswer>(await secretCall(collector, 'DELETE', `/v1/visitors/${lone}`));
    expect(gone).toMatchObject({ contactId: loneId, erased: { contacts: 1, events: 1, devices: 1 } });
    expect((await getSecret(`${collector.url}/v1/leads/${loneId}`)).status).toBe(404);
    expect((await secretCall(collector, 'DELETE', `/v1/visitors/${lone}`)).status).toBe(404);
    const audit = await readJson<Page<AuditItem>>(await getSecret(`${collector.url}/v1/audit?limit=2`));
    expect(audit.items.map((a) => [a.action, a.contactId])).toEqual([
      ['erase_visitor', loneId],
      ['erase_visitor', id],
    ]);
    expect(audit.nextCursor).not.toBeNull();
    const older = await readJson<Page<AuditItem>>(
      await getSecret(`${collector.url}/v1/audit?limit=500&cursor=${audit.nextCursor}`),
    );
    expect(older.items[0]?.action).toBe('erase_contact');
  });

  it('erases from the dashboard session only with a JSON request from its own origin', async () => {
    await send(collector, [ev({ anonymousId: 'anon-dash-7f3a9c', path: '/' })]);
    const id = await contactIdOf(collector.url, 'anon-dash-7f3a9c');
    const login = await postJson(`${collector.url}/v1/session`, { secretKey: SECRET });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const plain = await fetch(`${collector.url}/v1/leads/${id}`, { method: 'DELETE', headers: { cookie } });
    expect(plain.status).toBe(403);
    const json = await fetch(`${collector.url}/v1/leads/${id}`, {
      method: 'DELETE',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'Dana' }),
    });
    expect(json.status).toBe(200);
    const audit = await readJson<Page<AuditItem>>(await getSecret(`${collector.url}/v1/audit?limit=1`));
    expect(audit.items[0]).toMatchObject({ contactId: id, by: 'session:Dana' });
  });

  it('answers another site exactly as a missing contact', async () => {
    await send(collector, [ev({ anonymousId: 'anon-site-a-7f3a9c', path: '/' })]);
    const id = await contactIdOf(collector.url, 'anon-site-a-7f3a9c');
    const res = await fetch(`${collector.url}/v1/leads/${id}`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer sk_b_secret_0123456' },
    });
    expect(res.status).toBe(404);
    expect((await getSecret(`${collector.url}/v1/leads/${id}`)).status).toBe(200);
  });
});

describe('erasure with suppression', () => {
  let collector: RunningCollector;
  let tmp: ReturnType<typeof tempDir>;
  let storage: { dbPath: string } | { databaseUrl: string };

  beforeAll(async () => {
    tmp = tempDir();
    storage = await testStorage(join(tmp.dir, 'suppress.db'));
    collector = await startCollector({
      config: makeConfig({ erasure: { suppress: true }, rateLimit: { perMinute: 60_000, burst: 1000 } }),
      ...storage,
      assetDirs: [],
    });
  });
  afterAll(async () => {
    await collector.close();
    tmp.cleanup();
  });

  it('drops later events of the erased browser and identifies with the erased email', async () => {
    const anon = 'anon-suppressed-41bd07';
    await send(collector, [
      ev({ anonymousId: anon, type: 'identify', traits: { email: 'gone@suppress.test' } }),
      ev({ anonymousId: anon, path: '/pricing' }),
    ]);
    expect((await secretCall(collector, 'DELETE', '/v1/leads?email=Gone@Suppress.test')).status).toBe(200);

    const later = ev({ anonymousId: anon, path: '/pricing' });
    const answer = await send(collector, [later], { anonymousId: anon });
    expect(answer).toMatchObject({ accepted: 0, duplicates: 0, acked: [later.id], contactId: null });
    expect(answer.score.total).toBe(0);
    expect((await getSecret(`${collector.url}/v1/visitors/${anon}`)).status).toBe(404);

    // A new browser claiming the erased email: the identify is dropped, its other events are kept.
    const claim = ev({
      anonymousId: 'anon-new-41bd07',
      type: 'identify',
      traits: { email: 'GONE@suppress.test' },
    });
    const view = ev({ anonymousId: 'anon-new-41bd07', path: '/blog' });
    const second = await send(collector, [claim, view]);
    expect(second.accepted).toBe(1);
    expect(second.acked.sort()).toEqual([claim.id, view.id].sort());
    const fresh = await readJson<ContactDetail>(
      await getSecret(`${collector.url}/v1/visitors/anon-new-41bd07`),
    );
    expect(fresh).toMatchObject({ email: null, stage: 'visitor', eventCount: 1 });

    if ('dbPath' in storage) {
      const files = sqliteFiles(storage.dbPath);
      for (const secret of ['gone@suppress.test', anon]) expect(holds(files, secret), secret).toBe(false);
    }
  });
});

describe('export', () => {
  let collector: RunningCollector;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    tmp = tempDir();
    collector = await startCollector({
      config: makeConfig({
        identitySecret: IDENTITY_SECRET,
        webhooks: [{ url: 'https://crm.test/hook', secret: HOOK_SECRET }],
        rateLimit: { perMinute: 60_000, burst: 1000 },
      }),
      ...(await testStorage(join(tmp.dir, 'export.db'))),
      assetDirs: [],
      fetch: hookRecorder().fetchHook,
    });
  });
  afterAll(async () => {
    await collector.close();
    tmp.cleanup();
  });

  it('streams everything held about a contact, every stored event, and no secret', async () => {
    const [a, b] = ['anon-export-a-90c1', 'anon-export-b-90c1'];
    const email = 'ex@export.test';
    const base = Date.now() - 10 * DAY;
    const sent: string[] = [];
    const identify = ev({
      anonymousId: a,
      type: 'identify',
      ts: base,
      traits: { email, name: 'Ex Porter', role: 'vp' },
      props: { identityToken: token(email) },
    });
    await send(collector, [identify]);
    sent.push(identify.id);
    for (let page = 0; page < 3; page += 1) {
      const events = Array.from({ length: 400 }, (_, i) =>
        ev({ anonymousId: i % 2 ? a : b, ts: base + page * 1000 + i, path: `/docs/${page}/${i}` }),
      );
      const answer = await send(collector, events);
      expect(answer.accepted).toBe(400);
      sent.push(...events.map((e) => e.id));
    }
    const joins = ev({ anonymousId: b, type: 'identify', traits: { email } });
    expect((await send(collector, [joins])).accepted).toBe(1);
    sent.push(joins.id);
    const bots = [ev({ anonymousId: b, path: '/bot' }), ev({ anonymousId: b, path: '/bot2' })];
    await send(collector, bots, { automated: true });
    const id = await contactIdOf(collector.url, a);
    await secretCall(collector, 'POST', `/v1/leads/${id}/stage`, { stage: 'sql' });
    const login = await postJson(`${collector.url}/v1/session`, { secretKey: SECRET });
    const sessionToken = ((login.headers.get('set-cookie') ?? '').split(';')[0] as string).split(
      '=',
    )[1] as string;

    const res = await getSecret(`${collector.url}/v1/leads/${id}/export?by=Privacy%20desk`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toContain(`leadlight-contact-${id}.json`);
    const text = await res.text();
    const doc = JSON.parse(text) as {
      contact: { id: string; email: string; traits: Record<string, unknown>; emails: string[] };
      stageHistory: { to: string }[];
      devices: { anonymousId: string; verified: boolean; score: unknown }[];
      events: (TrackedEvent & { receivedAt: number })[];
      unattachedEvents: TrackedEvent[];
      counts: Record<string, number>;
    };
    expect(doc.contact).toMatchObject({
      id,
      email,
      emails: [email],
      traits: { name: 'Ex Porter', role: 'vp' },
    });
    expect(doc.stageHistory.map((h) => h.to)).toEqual(['lead', 'sql']);
    expect(doc.devices.map((d) => [d.anonymousId, d.verified])).toEqual([
      [a, true],
      [b, false],
    ]);
    const exported = doc.events.map((e) => e.id);
    expect(exported.length).toBe(sent.length);
    expect(new Set(exported)).toEqual(new Set(sent));
    expect(doc.events.every((e) => typeof e.receivedAt === 'number')).toBe(true);
    expect(doc.unattachedEvents.map((e) => e.id).sort()).toEqual(bots.map((e) => e.id).sort());
    expect(doc.counts).toEqual({ events: exported.length, unattachedEvents: 2, devices: 2, stageChanges: 2 });
    for (const secret of [
      IDENTITY_SECRET,
      SECRET,
      HOOK_SECRET,
      token(email),
      sessionToken,
      createHash('sha256').update(sessionToken).digest('hex'),
      'identityToken',
    ]) {
      expect(text.includes(secret), secret).toBe(false);
    }
    const audit = await readJson<Page<AuditItem>>(await getSecret(`${collector.url}/v1/audit`));
    expect(audit.items[0]).toMatchObject({
      action: 'export_contact',
      contactId: id,
      by: 'secret-key:Privacy desk',
      counts: { events: exported.length, unattachedEvents: 2, devices: 2, complete: 1 },
    });
  });
});

describe('retention', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp.cleanup());

  it('deletes events older than retentionDays in small batches and rescores what remains', async () => {
    let clock = Date.now();
    const collector = await startCollector({
      config: makeConfig({ retentionDays: 30, rateLimit: { perMinute: 60_000, burst: 1000 } }),
      ...(await testStorage(join(tmp.dir, 'retention.db'))),
      assetDirs: [],
      now: () => clock,
      retention: { batchSize: 3 },
    });
    try {
      const [lead, visitor] = ['anon-kept-5e21', 'anon-old-5e21'];
      await send(collector, [
        ev({ anonymousId: lead, path: '/pricing', ts: clock - 3000 }),
        ev({ anonymousId: lead, path: '/pricing/x', ts: clock - 2900 }),
        ev({ anonymousId: lead, path: '/pricing/y', ts: clock - 2800 }),
        ev({
          anonymousId: lead,
          type: 'identify',
          ts: clock - 2700,
          traits: { email: 'kept@retention.test', company: 'Kept Inc', role: 'vp', companySize: 300 },
        }),
        ev({ anonymousId: lead, type: 'cta_click', props: { cta: 'demo' }, ts: clock - 2600 }),
      ]);
      await send(collector, [
        ev({ anonymousId: visitor, path: '/pricing', ts: clock - 2500 }),
        ev({ anonymousId: visitor, path: '/blog', ts: clock - 2400 }),
      ]);
      await send(collector, [ev({ anonymousId: 'anon-bot-5e21', path: '/', ts: clock - 2300 })], {
        automated: true,
      });
      const id = await contactIdOf(collector.url, lead);
      const visitorId = await contactIdOf(collector.url, visitor);
      await secretCall(collector, 'POST', `/v1/leads/${id}/stage`, { stage: 'customer', revenue: 5000 });
      const before = await readJson<ContactDetail>(await getSecret(`${collector.url}/v1/leads/${id}`));
      expect(before.score.engagement).toBeGreaterThan(50);

      // Nothing is old yet.
      expect((await collector.runRetention()).find((r) => r.siteKey === 'pk_a')).toMatchObject({
        deletedEvents: 0,
        removedContacts: 0,
      });

      clock += 31 * DAY;
      const recent = ev({ anonymousId: lead, path: '/pricing/new', ts: clock - 1000 });
      await send(collector, [recent]);
      const [report] = await collector.runRetention();
      expect(report).toMatchObject({
        siteKey: 'pk_a',
        cutoff: clock - 30 * DAY,
        deletedEvents: 7,
        rescoredContacts: 2,
        // The visitor's browser went with its contact.
        rescoredDevices: 1,
        removedContacts: 1,
      });

      const after = await readJson<ContactDetail>(await getSecret(`${collector.url}/v1/leads/${id}`));
      expect(after).toMatchObject({
        stage: 'customer',
        revenue: 5000,
        traits: { email: 'kept@retention.test', company: 'Kept Inc', role: 'vp', companySize: 300 },
        eventCount: 2,
      });
      expect(after.stageHistory).toEqual(before.stageHistory);
      expect(after.score.fit).toBe(before.score.fit);
      expect(after.score.engagement).toBe(10);
      const events = await readJson<Page<TrackedEvent>>(
        await getSecret(`${collector.url}/v1/leads/${id}/events`),
      );
      expect(events.items.map((e) => e.type)).toEqual(['identify', 'page_view']);
      const device = await readJson<BatchAnswer>(
        await fetch(`${collector.url}/v1/score?siteKey=pk_a&anonymousId=${lead}`),
      );
      expect(device.score.engagement).toBe(10);

      expect((await getSecret(`${collector.url}/v1/visitors/${visitor}`)).status).toBe(404);
      expect((await getSecret(`${collector.url}/v1/leads/${visitorId}`)).status).toBe(404);
      const funnel = await readJson<{ contacts: number; reached: Record<string, number> }>(
        await getSecret(`${collector.url}/v1/funnel`),
      );
      expect(funnel).toMatchObject({ contacts: 1, reached: { customer: 1 } });
      expect((await collector.runRetention())[0]).toMatchObject({ deletedEvents: 0, rescoredContacts: 0 });
    } finally {
      await collector.close();
    }
  });

  it('runs on its own timer', async () => {
    let clock = Date.now();
    const collector = await startCollector({
      config: makeConfig({ retentionDays: 1 }),
      ...(await testStorage(join(tmp.dir, 'timer.db'))),
      assetDirs: [],
      now: () => clock,
      retention: { intervalMs: 50 },
    });
    try {
      await send(collector, [ev({ anonymousId: 'anon-timer-5e21', path: '/', ts: clock - 1000 })]);
      expect((await getSecret(`${collector.url}/v1/visitors/anon-timer-5e21`)).status).toBe(200);
      clock += 2 * DAY;
      await expect
        .poll(async () => (await getSecret(`${collector.url}/v1/visitors/anon-timer-5e21`)).status)
        .toBe(404);
    } finally {
      await collector.close();
    }
  });
});
