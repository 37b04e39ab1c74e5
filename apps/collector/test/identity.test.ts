// Plays the attacker against the real collector (SQLite, and PostgreSQL in the `postgres` project): only
// the public site key, anonymous ids and other people's emails. No site-key answer may carry anything
// private, and no claim may rewrite or merge someone else's contact.
import { join } from 'node:path';
import { cloneState, evaluate, foldEvents, resultOf, validateModel } from '@leadlight/scoring-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../src/index.js';
import { MAX_UNVERIFIED_EMAILS } from '../src/ingestBatch.js';
import { identityToken } from '../src/verifyIdentityTokens.js';
import {
  type BatchAnswer,
  type ContactDetail,
  ev,
  getSecret,
  MODEL,
  makeConfig,
  readJson,
  tempDir,
  testStorage,
} from './fixtures.js';

const IDENTITY_SECRET = 'id_secret_0123456789abcdef';
const VICTIM = {
  email: 'victim@corp.test',
  name: 'Vic Tim',
  company: 'Corp Incorporated',
  phone: '+1 555 0100',
  role: 'vp',
  companySize: 900,
};
/** What a site-key answer must never contain once the victim exists. */
const PRIVATE = [VICTIM.email, VICTIM.name, VICTIM.company, VICTIM.phone, 'customer', '"sql"'];

let collector: RunningCollector;
let tmp: ReturnType<typeof tempDir>;
let base: string;
let clock = Date.now();
let victimId: string;

/** A batch exactly as an attacker's script sends it: the public site key, no Origin, no cookies. */
async function attack(events: unknown[]): Promise<{ answer: BatchAnswer; text: string }> {
  const res = await fetch(`${base}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ siteKey: 'pk_a', events }),
  });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { answer: JSON.parse(text) as BatchAnswer, text };
}

async function scoreOf(anonymousId: string): Promise<{ answer: BatchAnswer; text: string }> {
  const res = await fetch(`${base}/v1/score?siteKey=pk_a&anonymousId=${encodeURIComponent(anonymousId)}`);
  expect(res.status).toBe(200);
  const text = await res.text();
  return { answer: JSON.parse(text) as BatchAnswer, text };
}

/** The contact that owns an anonymous id, through the secret API (null when none). */
async function ownerOf(anonymousId: string): Promise<ContactDetail | null> {
  const res = await getSecret(`${base}/v1/visitors/${encodeURIComponent(anonymousId)}`);
  if (res.status === 404) return null;
  return readJson<ContactDetail>(res);
}

function expectNothingPrivate(text: string): void {
  for (const secret of PRIVATE) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
  expect(text).not.toContain(victimId);
}

function identify(anonymousId: string, traits: Record<string, unknown>, props?: Record<string, unknown>) {
  clock += 1000;
  return ev({ anonymousId, type: 'identify', ts: clock, traits, ...(props ? { props } : {}) });
}

async function moveStage(id: string, stage: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${base}/v1/leads/${id}/stage`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk_a_secret_0123456', 'content-type': 'application/json' },
    body: JSON.stringify({ stage, ...extra }),
  });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  tmp = tempDir();
  collector = await startCollector({
    config: makeConfig({
      identitySecret: IDENTITY_SECRET,
      rateLimit: { perMinute: 60_000, burst: 5000 },
    }),
    ...(await testStorage(join(tmp.dir, 'identity.db'))),
    assetDirs: [],
    now: () => clock,
  });
  base = collector.url;
  // The victim: a customer with a name, company and phone on file.
  await attack([
    ev({ anonymousId: 'victim-laptop', ts: clock - 5000, path: '/pricing' }),
    identify('victim-laptop', VICTIM),
  ]);
  victimId = (await ownerOf('victim-laptop'))!.id;
  await moveStage(victimId, 'sql');
  await moveStage(victimId, 'customer', { revenue: 12_000 });
});
afterAll(async () => {
  await collector.close();
  tmp.cleanup();
});

describe('an attacker holding the site key and an email', () => {
  it("identifying with the victim's email reveals nothing of the victim, in the batch answer or later", async () => {
    const { answer, text } = await attack([identify('mallory-1', { email: ' Victim@Corp.test ' })]);
    expectNothingPrivate(text);
    expect(answer).toMatchObject({ contactId: null, verified: false });
    expect(answer.score).toMatchObject({ stage: 'lead', total: 0, fit: 0, engagement: 0 });
    expect(answer.state.traits).toEqual({});
    const later = await scoreOf('mallory-1');
    expectNothingPrivate(later.text);
    expect(later.answer.score).toEqual(answer.score);
    // Sales still sees one person's devices in one contact.
    expect((await ownerOf('mallory-1'))?.id).toBe(victimId);
  });

  it('cannot tell a known email from an unknown one', async () => {
    const known = await attack([identify('mallory-2', { email: VICTIM.email })]);
    const unknown = await attack([identify('mallory-3', { email: 'nobody-here@corp.test' })]);
    expect(known.answer.score).toEqual(unknown.answer.score);
    // Only the positions of the browser's own identify differ.
    const shape = (s: BatchAnswer['state']) => ({ ...s, refTs: null, last: null, traitAt: null });
    expect(shape(known.answer.state)).toEqual(shape(unknown.answer.state));
    expect(Object.keys(known.answer).sort()).toEqual(Object.keys(unknown.answer).sort());
  });

  it("a stolen anonymous id shows that browser's own score and fit traits only", async () => {
    const { answer, text } = await scoreOf('victim-laptop');
    expectNothingPrivate(text);
    expect(answer.contactId).toBeNull();
    expect(answer.score.stage).toBe('lead');
    expect(answer.state.traits).toEqual({ role: 'vp', companySize: 900 });
  });

  it("cannot replace the email of the contact it joined: the browser moves on to the new email's contact", async () => {
    await attack([identify('mallory-4', { email: VICTIM.email })]);
    await attack([identify('mallory-4', { email: 'mallory@evil.test', name: 'Mallory' })]);
    const victim = await readJson<ContactDetail>(await getSecret(`${base}/v1/leads/${victimId}`));
    expect(victim.email).toBe(VICTIM.email);
    expect(victim.traits.email).toBe(VICTIM.email);
    expect(victim.stage).toBe('customer');
    const mallory = await ownerOf('mallory-4');
    expect(mallory?.id).not.toBe(victimId);
    expect(mallory?.email).toBe('mallory@evil.test');
  });

  it('one batch of several emails never folds existing people into one contact, and claims are bounded', async () => {
    const people = ['ann@a.test', 'bob@b.test', 'cy@c.test', 'dee@d.test'];
    for (const [i, email] of people.entries())
      await attack([identify(`person-${i}`, { email, name: `P${i}` })]);
    const before = await Promise.all(people.map((_, i) => ownerOf(`person-${i}`)));
    const { answer, text } = await attack(people.map((email) => identify('mallory-5', { email })));
    expect(answer.rejected).toEqual([
      { index: MAX_UNVERIFIED_EMAILS, error: expect.stringContaining('identity token') },
    ]);
    expect(text).not.toContain('P0');
    const after = await Promise.all(people.map((_, i) => ownerOf(`person-${i}`)));
    expect(after.map((c) => [c?.id, c?.email])).toEqual(before.map((c) => [c?.id, c?.email]));
    expect(new Set(after.map((c) => c?.id)).size).toBe(people.length);
  });

  it('a batch speaks for at most two browsers: it cannot create contacts in bulk', async () => {
    const { answer } = await attack(
      ['bulk-1', 'bulk-2', 'bulk-3', 'bulk-4'].map((a) => ev({ anonymousId: a, ts: clock })),
    );
    expect(answer.rejected.map((r) => r.index)).toEqual([2, 3]);
    expect(await ownerOf('bulk-2')).not.toBeNull();
    expect(await ownerOf('bulk-3')).toBeNull();
  });
});

describe('identity tokens', () => {
  it('a forged or borrowed token is rejected and verifies, stores and creates nothing', async () => {
    const forged = await attack([
      identify('mallory-6', { email: VICTIM.email }, { identityToken: 'f'.repeat(64) }),
    ]);
    expect(forged.answer.rejected).toEqual([{ index: 0, error: expect.stringContaining('identityToken') }]);
    expect(forged.answer.accepted).toBe(0);
    const borrowed = identityToken(IDENTITY_SECRET, 'mallory@evil.test');
    const other = await attack([identify('mallory-6', { email: VICTIM.email }, { identityToken: borrowed })]);
    expect(other.answer.rejected).toHaveLength(1);
    expectNothingPrivate(forged.text + other.text);
    expect(await ownerOf('mallory-6')).toBeNull();
  });

  it("the victim's own verified browser gets the contact view, with no trait value fit rules do not read", async () => {
    const token = identityToken(IDENTITY_SECRET, VICTIM.email);
    const { answer, text } = await attack([
      identify('victim-phone', { email: VICTIM.email }, { identityToken: token }),
    ]);
    expect(answer).toMatchObject({ verified: true, contactId: victimId, rejected: [] });
    expect(answer.score.stage).toBe('customer');
    expect(answer.state.traits).toEqual({ role: 'vp', companySize: 900 });
    for (const secret of [VICTIM.email, VICTIM.name, VICTIM.company, VICTIM.phone, token])
      expect(text).not.toContain(secret);
    expect((await scoreOf('victim-phone')).answer).toMatchObject({
      verified: true,
      score: { stage: 'customer' },
    });
    // The token itself is never stored.
    const events = await getSecret(`${base}/v1/leads/${victimId}/events?type=identify&limit=100`);
    expect(await events.text()).not.toContain(token);
  });

  it('verification ends when the browser sends another email, and after its period', async () => {
    const token = identityToken(IDENTITY_SECRET, VICTIM.email);
    await attack([identify('victim-tablet', { email: VICTIM.email }, { identityToken: token })]);
    expect((await scoreOf('victim-tablet')).answer.verified).toBe(true);
    clock += 31 * 86_400_000;
    const expired = await scoreOf('victim-tablet');
    expect(expired.answer.verified).toBe(false);
    expectNothingPrivate(expired.text);

    await attack([identify('victim-desk', { email: VICTIM.email }, { identityToken: token })]);
    expect((await scoreOf('victim-desk')).answer.verified).toBe(true);
    const switched = await attack([identify('victim-desk', { email: 'someone-else@corp.test' })]);
    expect(switched.answer.verified).toBe(false);
    expectNothingPrivate(switched.text);
  });
});

describe('the provisional score', () => {
  it("is the device view bit for bit: the worker's fold of the same events on the last answer's state", async () => {
    const checked = validateModel(MODEL);
    if (!checked.ok) throw new Error('bad test model');
    const model = checked.model;
    const anonymousId = 'worker-twin';
    const first = await attack([
      ev({ anonymousId, ts: clock - 60_000, path: '/pricing' }),
      identify(anonymousId, { email: 'twin@corp.test', role: 'director', companySize: 300, name: 'Twin' }),
    ]);
    // The next events, one of them older than everything folded so far (a queue replaying late).
    const next = [
      ev({ anonymousId, ts: clock - 120_000, path: '/pricing' }),
      ev({ anonymousId, ts: clock, type: 'download', props: { ext: 'pdf', file: 'a.pdf' } }),
    ];
    // What the worker computes: the snapshot it was answered, with its unacknowledged events folded in.
    const provisional = foldEvents(model, cloneState(first.answer.state), next);
    const second = await attack(next);
    expect(second.answer.state).toEqual(provisional);
    expect(second.answer.score).toEqual(
      resultOf(model, provisional, { now: clock, stage: first.answer.score.stage }),
    );
  });
});

describe('late events', () => {
  it('fold in place: no replay of stored history, and the score is the one of every event in order', async () => {
    const anonymousId = 'busy-visitor';
    const start = clock - 10 * 86_400_000;
    const history = Array.from({ length: 3000 }, (_, i) =>
      ev({ anonymousId, ts: start + i * 60_000, path: i % 3 === 0 ? '/pricing' : '/docs' }),
    );
    for (let i = 0; i < history.length; i += 500) await attack(history.slice(i, i + 500));

    // Count every read of stored history while the late events arrive (a spy on the real storage).
    let replays = 0;
    const storage = collector.storage;
    const original = storage.transaction.bind(storage);
    storage.transaction = ((fn: Parameters<typeof original>[0]) =>
      original((tx) =>
        fn(
          new Proxy(tx, {
            get(target, key, receiver) {
              if (key === 'contactEvents' || key === 'deviceEvents') replays += 1;
              return Reflect.get(target, key, receiver);
            },
          }),
        ),
      )) as typeof storage.transaction;
    // Each one older than every counted pricing view: it takes a counted place from the newest one.
    const late = Array.from({ length: 20 }, (_, i) =>
      ev({ anonymousId, ts: start - (i + 1) * 60_000, path: '/pricing' }),
    );
    try {
      for (const event of late) await attack([event]);
    } finally {
      storage.transaction = original;
    }
    expect(replays).toBe(0);
    const all = [...history, ...late];
    const checked = validateModel(MODEL);
    if (!checked.ok) throw new Error('bad test model');
    const want = evaluate(checked.model, all, { now: clock });
    const { answer } = await scoreOf(anonymousId);
    expect(answer.score.breakdown.find((b) => b.rule === 'pricing')?.count).toBe(3);
    expect(answer.score.total).toBeCloseTo(want.total, 1);
    const contact = await ownerOf(anonymousId);
    expect(contact?.eventCount).toBe(all.length);
    expect(contact?.score.total).toBeCloseTo(want.total, 1);
  });
});
