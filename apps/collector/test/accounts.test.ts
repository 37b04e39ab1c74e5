import { join } from 'node:path';
import type { TrackedEvent } from '@leadlight/scoring-core';
import type { AccountDetail, AccountView } from '@leadlight/scoring-core/wire';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector, verifyWebhook } from '../src/index.js';
import { identityToken } from '../src/verifyIdentityTokens.js';
import {
  type BatchAnswer,
  type ContactDetail,
  contactIdOf,
  type ErrorAnswer,
  ev,
  getSecret,
  MODEL,
  makeConfig,
  type Page,
  readJson,
  sendBatch,
  startWebhookReceiver,
  tempDir,
  testStorage,
} from './fixtures.js';
import { usePostgres } from './postgresDatabase.js';

const ACCOUNT_MODEL = {
  ...MODEL,
  accounts: {
    fit: [
      { id: 'acct-big', trait: 'companySize', gte: 200, points: 20 },
      { id: 'acct-software', trait: 'industry', equals: 'software', points: 10 },
    ],
    mqa: { total: 60, contacts: 2 },
  },
};
const HOOK_SECRET = 'whsec_accounts_0123456';
const IDENTITY_SECRET = 'identity_secret_for_accounts_01';
const WRITE_KEY = 'wk_accounts_0123456789';

const identify = (anonymousId: string, traits: Record<string, unknown>, props?: Record<string, unknown>) =>
  ev({ anonymousId, type: 'identify', traits, ...(props ? { props } : {}) });
const group = (anonymousId: string, groupId: string, traits: Record<string, unknown> = {}) =>
  ev({ anonymousId, type: 'group', props: { groupId }, traits });
const pricing = (anonymousId: string) => ev({ anonymousId, path: '/pricing' });
const demo = (anonymousId: string) => ev({ anonymousId, type: 'cta_click', props: { cta: 'demo' } });

describe('accounts', () => {
  let tmp: ReturnType<typeof tempDir>;
  let collector: RunningCollector;
  let base: string;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  async function start(dbName = 'accounts.db', extra: Record<string, unknown> = {}) {
    return startCollector({
      config: makeConfig({
        model: ACCOUNT_MODEL,
        identitySecret: IDENTITY_SECRET,
        writeKey: WRITE_KEY,
        webhooks: [{ url: receiver.url, secret: HOOK_SECRET, events: ['account.mqa'] }],
        accounts: { denyDomains: ['leadlight.test'], allowDomains: ['mail.com'] },
        ...extra,
      }),
      ...(await testStorage(join(tmp.dir, dbName))),
      assetDirs: [],
    });
  }

  async function send(events: TrackedEvent[], target = base): Promise<BatchAnswer> {
    const res = await sendBatch(target, events);
    expect(res.status).toBe(200);
    const answer = await readJson<BatchAnswer>(res);
    expect(answer.rejected).toEqual([]);
    return answer;
  }

  async function account(id: string): Promise<AccountDetail> {
    const res = await getSecret(`${base}/v1/accounts/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    return readJson<AccountDetail>(res);
  }

  async function accounts(query = ''): Promise<AccountView[]> {
    return (await readJson<Page<AccountView>>(await getSecret(`${base}/v1/accounts${query}`))).items;
  }

  async function lead(anonymousId: string): Promise<ContactDetail & { accountId: string | null }> {
    return readJson(await getSecret(`${base}/v1/leads/${await contactIdOf(base, anonymousId)}`));
  }

  function server(path: string, body: unknown) {
    return fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
      },
      body: JSON.stringify(body),
    });
  }

  beforeEach(async () => {
    tmp = tempDir();
    receiver = await startWebhookReceiver();
    collector = await start();
    base = collector.url;
  });
  afterEach(async () => {
    await collector.close();
    await receiver.close();
    tmp.cleanup();
  });

  it('three people of one domain, in any letter case, form one account; free mail and denied domains none', async () => {
    await send([identify('ann', { email: 'Ann@Acme.COM' }), pricing('ann')]);
    await send([identify('bob', { email: 'bob@acme.com' }), pricing('bob'), pricing('bob')]);
    await send([identify('cy', { email: ' cy@ACME.com ' })]);
    for (const [id, email] of [
      ['gina', 'gina@gmail.com'],
      ['otto', 'otto@outlook.com'],
      ['yan', 'yan@yahoo.co.uk'],
      ['qi', 'qi@qq.com'],
      ['staff', 'me@leadlight.test'],
    ])
      await send([identify(id as string, { email }), pricing(id as string)]);
    // mail.com is on the free-mail list, but this site allows it.
    await send([identify('mo', { email: 'mo@mail.com' })]);

    const all = await accounts();
    expect(all.map((a) => a.id).sort()).toEqual(['acme.com', 'mail.com']);
    const acme = await account('acme.com');
    expect(acme).toMatchObject({ id: 'acme.com', domain: 'acme.com', stage: 'account', members: 3 });
    expect(acme.contacts?.map((c) => c.email).sort()).toEqual([
      'ann@acme.com',
      'bob@acme.com',
      'cy@acme.com',
    ]);
    for (const who of ['ann', 'bob', 'cy']) expect((await lead(who)).accountId).toBe('acme.com');
    for (const who of ['gina', 'otto', 'yan', 'qi', 'staff']) expect((await lead(who)).accountId).toBeNull();
    // Secret key only: the site key and the write key read no account.
    for (const authorization of ['Bearer pk_a', `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`]) {
      const res = await fetch(`${base}/v1/accounts`, { headers: { authorization } });
      expect(res.status).toBe(401);
    }
    expect((await getSecret(`${base}/v1/accounts/nope.example`)).status).toBe(404);
    expect((await getSecret(`${base}/v1/accounts?stage=hot`)).status).toBe(400);
  });

  it('sums members’ engagement, scores account fit from members’ company traits, and pages by score', async () => {
    await send([
      identify('ann', { email: 'ann@acme.com', companySize: 500, industry: 'Software' }),
      pricing('ann'),
    ]);
    await send([identify('bob', { email: 'bob@acme.com' }), pricing('bob'), demo('bob')]);
    await send([identify('cy', { email: 'cy@acme.com' })]);
    await send([identify('dee', { email: 'dee@small.example', companySize: 12 }), pricing('dee')]);

    const acme = await account('acme.com');
    const members = await Promise.all(['ann', 'bob', 'cy'].map(lead));
    const sum = members.reduce((s, m) => s + m.score.engagement, 0);
    expect(sum).toBeCloseTo(50, 1);
    expect(acme.score.engagement).toBeCloseTo(sum, 1);
    expect(acme.score.fit).toBe(30);
    expect(acme.score.engagedContacts).toBe(2);
    expect(acme.traits).toEqual({ companySize: 500, industry: 'Software' });
    expect(acme.score.breakdown.map((b) => [b.rule, b.count])).toEqual([
      ['pricing', 2],
      ['demo-cta', 1],
      ['acct-big', 1],
      ['acct-software', 1],
    ]);
    const contributions = acme.score.contributions ?? [];
    expect(contributions.map((c) => c.id)[0]).toBe(members[1]?.id);
    expect(contributions.reduce((s, c) => s + c.engagement, 0)).toBeCloseTo(acme.score.engagement, 1);

    const page1 = await readJson<Page<AccountView>>(await getSecret(`${base}/v1/accounts?limit=1`));
    expect(page1.items.map((a) => a.id)).toEqual(['acme.com']);
    const page2 = await readJson<Page<AccountView>>(
      await getSecret(`${base}/v1/accounts?limit=1&cursor=${page1.nextCursor}`),
    );
    expect(page2.items.map((a) => a.id)).toEqual(['small.example']);
    expect(page2.nextCursor).toBeNull();
    expect((await accounts('?minScore=40')).map((a) => a.id)).toEqual(['acme.com']);
  });

  it('a group call puts a gmail user into a named account, and an explicit group wins over the domain', async () => {
    await send([
      identify('gina', { email: 'gina@gmail.com' }),
      group('gina', 'acme-corp', { name: 'Acme Corp' }),
    ]);
    await send([identify('ann', { email: 'ann@acme.com' }), pricing('ann')]);
    expect((await lead('gina')).accountId).toBe('acme-corp');
    expect(await account('acme-corp')).toMatchObject({ name: 'Acme Corp', members: 1 });
    expect((await account('acme.com')).members).toBe(1);
    // Ann's group call moves her out of her domain's account, for good.
    await send([group('ann', 'acme-corp'), pricing('ann')]);
    expect((await lead('ann')).accountId).toBe('acme-corp');
    expect(await account('acme-corp')).toMatchObject({ members: 2 });
    expect((await account('acme.com')).members).toBe(0);
    await send([identify('ann', { email: 'ann@acme.com', role: 'vp' })]);
    expect((await lead('ann')).accountId).toBe('acme-corp');
    // A group event without an account id is refused, by path.
    const res = await sendBatch(base, [ev({ anonymousId: 'gina', type: 'group', props: {} })]);
    expect((await readJson<BatchAnswer>(res)).rejected[0]?.error).toMatch(/^props\.groupId: /);
    // Segment group through the write key works the same way.
    expect(
      (await server('/v1/group', { userId: 'crm-9', groupId: 'acme-corp', traits: { plan: 'pro' } })).status,
    ).toBe(200);
    expect(await account('acme-corp')).toMatchObject({
      members: 3,
      traits: { name: 'Acme Corp', plan: 'pro' },
    });
  });

  it('becomes an MQA only with enough engaged contacts, and sends one signed account.mqa', async () => {
    await send([
      identify('ann', { email: 'ann@acme.com', companySize: 500 }),
      demo('ann'),
      demo('ann'),
      pricing('ann'),
    ]);
    await send([identify('bob', { email: 'bob@acme.com' })]);
    let acme = await account('acme.com');
    expect(acme.score.total).toBeGreaterThanOrEqual(60);
    expect(acme.score.engagedContacts).toBe(1);
    expect(acme).toMatchObject({ stage: 'account', mqaAt: null });
    await send([pricing('bob')]);
    acme = await account('acme.com');
    expect(acme.stage).toBe('mqa');
    expect(acme.mqaAt).toEqual(expect.any(Number));
    await send([pricing('bob'), demo('bob')]);
    await send([identify('cy', { email: 'cy@acme.com' }), pricing('cy')]);
    expect((await account('acme.com')).mqaAt).toBe(acme.mqaAt);
    await expect.poll(() => collector.storage.outboxStats()).toMatchObject({ pending: 0 });
    const mqas = receiver.payloads('account.mqa');
    expect(mqas).toHaveLength(1);
    expect(mqas[0]).toMatchObject({
      type: 'account.mqa',
      data: { account: { id: 'acme.com', domain: 'acme.com', stage: 'mqa', mqaAt: acme.mqaAt } },
    });
    expect(mqas[0].data.account.score.engagedContacts).toBe(2);
    const delivery = receiver.deliveries.find((d) => d.type === 'account.mqa');
    const signature = String(delivery?.headers['leadlight-signature'] ?? '');
    expect(verifyWebhook(HOOK_SECRET, delivery?.body ?? '', signature, Date.now())).toBe(true);
    expect((await accounts('?stage=mqa')).map((a) => a.id)).toEqual(['acme.com']);
    // The funnel counts MQAs by when they qualified.
    const funnel = async (q: string) =>
      (await readJson<{ mqas: number }>(await getSecret(`${base}/v1/funnel${q}`))).mqas;
    expect(await funnel('')).toBe(1);
    expect(await funnel(`?from=${(acme.mqaAt ?? 0) + 1}`)).toBe(0);
  });

  it('tells an account’s stage to a verified browser only, and lets no unverified one rewrite its traits', async () => {
    const token = identityToken(IDENTITY_SECRET, 'ann@acme.com');
    await send([
      identify(
        'ann',
        { email: 'ann@acme.com', companySize: 500, industry: 'software' },
        { identityToken: token },
      ),
      demo('ann'),
      demo('ann'),
    ]);
    await send([identify('bob', { email: 'bob@acme.com' }), pricing('bob')]);
    expect((await account('acme.com')).stage).toBe('mqa');

    // Mallory holds the site key and Ann's email, claims her company and tries to change it.
    const attack = await send([
      identify('mallory', { email: 'ann@acme.com', companySize: 3, industry: 'bakery' }),
      group('mallory', 'acme.com', { companySize: 3, industry: 'bakery', name: 'Not Acme' }),
      pricing('mallory'),
    ]);
    const again = await send([
      identify('mallory2', { email: 'mal@acme.com', companySize: 2 }),
      pricing('mallory2'),
    ]);
    for (const answer of [attack, again]) {
      expect(answer.verified).toBe(false);
      expect(answer.score).not.toHaveProperty('account');
      expect(JSON.stringify(answer)).not.toContain('mqa');
    }
    for (const anonymousId of ['mallory', 'mallory2', 'bob']) {
      const res = await fetch(`${base}/v1/score?siteKey=pk_a&anonymousId=${anonymousId}`);
      const body = await readJson<BatchAnswer>(res);
      expect(body.score).not.toHaveProperty('account');
      expect(JSON.stringify(body)).not.toContain('mqa');
    }
    const acme = await account('acme.com');
    expect(acme.traits).toEqual({ companySize: 500, industry: 'software', name: 'Not Acme' });
    expect(acme.score.fit).toBe(30);

    // Ann's verified browser sees her company's stage, in the batch answer and on a fresh tab.
    const verified = await send([pricing('ann')]);
    expect(verified).toMatchObject({ verified: true, score: { account: 'mqa' } });
    const fresh = await readJson<BatchAnswer>(await fetch(`${base}/v1/score?siteKey=pk_a&anonymousId=ann`));
    expect(fresh.score.account).toBe('mqa');
    // A verified browser and the write key may rewrite traits.
    await send([group('ann', 'acme.com', { industry: 'fintech' })]);
    expect((await account('acme.com')).traits.industry).toBe('fintech');
    expect(
      (await server('/v1/group', { userId: 'crm-1', groupId: 'acme.com', traits: { name: 'Acme' } })).status,
    ).toBe(200);
    expect(await account('acme.com')).toMatchObject({
      name: 'Acme',
      traits: { name: 'Acme', industry: 'fintech' },
    });
  });

  it('erasing a contact takes it out of its account; the export names the account', async () => {
    await send([identify('ann', { email: 'ann@acme.com', company: 'Acme', companySize: 500 }), demo('ann')]);
    await send([identify('bob', { email: 'bob@acme.com', industry: 'software' }), pricing('bob')]);
    const ann = await lead('ann');
    const exported = await readJson<{ contact: { accountId: string | null } }>(
      await getSecret(`${base}/v1/leads/${ann.id}/export`),
    );
    expect(exported.contact.accountId).toBe('acme.com');
    expect((await account('acme.com')).score.engagement).toBeCloseTo(40, 1);
    const res = await fetch(`${base}/v1/leads/${ann.id}`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer sk_a_secret_0123456' },
    });
    expect(res.status).toBe(200);
    const acme = await account('acme.com');
    expect(acme.members).toBe(1);
    expect(acme.score.engagement).toBeCloseTo(10, 1);
    expect(acme.contacts?.map((c) => c.email)).toEqual(['bob@acme.com']);
    // What Ann told about her company goes with her; what Bob told stays.
    expect(acme.traits).toEqual({ industry: 'software' });
    expect(acme.score.fit).toBe(10);
  });

  it('re-scores accounts when a model is published', async () => {
    await send([identify('ann', { email: 'ann@acme.com', companySize: 500 }), pricing('ann')]);
    await send([identify('bob', { email: 'bob@acme.com' }), pricing('bob')]);
    expect((await account('acme.com')).score).toMatchObject({ fit: 20, total: 40, stage: 'account' });
    const published = {
      ...ACCOUNT_MODEL,
      version: 'test-2',
      accounts: {
        ...ACCOUNT_MODEL.accounts,
        fit: [{ id: 'acct-big', trait: 'companySize', gte: 200, points: 45 }],
      },
    };
    const res = await fetch(`${base}/v1/model`, {
      method: 'PUT',
      headers: { authorization: 'Bearer sk_a_secret_0123456', 'content-type': 'application/json' },
      body: JSON.stringify(published),
    });
    expect(res.status).toBe(200);
    const acme = await account('acme.com');
    expect(acme.score).toMatchObject({ fit: 45, modelVersion: 'test-2' });
    expect(acme.stage).toBe('mqa');
    await expect.poll(() => receiver.payloads('account.mqa').length).toBe(1);
    // A bad accounts section is refused with its path.
    const bad = await fetch(`${base}/v1/model`, {
      method: 'PUT',
      headers: { authorization: 'Bearer sk_a_secret_0123456', 'content-type': 'application/json' },
      body: JSON.stringify({ ...published, accounts: { mqa: { contacts: 0 } } }),
    });
    expect(bad.status).toBe(400);
    expect((await readJson<ErrorAnswer>(bad)).error.message).toContain('accounts.mqa.contacts');
  });

  it('sends one account.mqa per account with members arriving at once through two collectors on one database', async () => {
    // PostgreSQL: two collectors share the database; SQLite has one owner, raced by concurrent batches.
    const second = usePostgres() ? await start() : null;
    try {
      const targets = second ? [base, second.url] : [base];
      const domains = Array.from({ length: 6 }, (_, i) => `race${i}.example`);
      await Promise.all(
        domains.flatMap((domain, d) =>
          [0, 1, 2].map((m) =>
            send(
              [
                identify(`${domain}-${m}`, { email: `p${m}@${domain}`, companySize: 300 }),
                pricing(`${domain}-${m}`),
                demo(`${domain}-${m}`),
              ],
              targets[(d + m) % targets.length],
            ),
          ),
        ),
      );
      for (const domain of domains) {
        const acct = await account(domain);
        expect(acct).toMatchObject({ stage: 'mqa', members: 3 });
        expect(acct.score.engagedContacts).toBe(3);
        // No lost update: the account holds all three members' engagement.
        const sum = (acct.contacts ?? []).reduce((s, c) => s + c.score.engagement, 0);
        expect(sum).toBeCloseTo(120, 1);
        expect(acct.score.engagement).toBeCloseTo(sum, 1);
      }
      await expect.poll(() => collector.storage.outboxStats()).toMatchObject({ pending: 0 });
      const perAccount = new Map<string, number>();
      for (const p of receiver.payloads('account.mqa'))
        perAccount.set(p.data.account.id, (perAccount.get(p.data.account.id) ?? 0) + 1);
      expect(Object.fromEntries(perAccount)).toEqual(Object.fromEntries(domains.map((d) => [d, 1])));
    } finally {
      await second?.close();
    }
  });
});
