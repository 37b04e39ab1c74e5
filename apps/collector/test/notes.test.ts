// Notes and owners on contacts, and the display name a dashboard session signs its changes with: who and
// when on every entry, merges keep them, erasure and export cover them.

import { join } from 'node:path';
import type { NotesAnswer } from '@leadlight/scoring-core/wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../src/index.js';
import {
  type ContactDetail,
  contactIdOf,
  type ErrorAnswer,
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

let collector: RunningCollector;
let tmp: ReturnType<typeof tempDir>;
let base: string;

beforeAll(async () => {
  tmp = tempDir();
  collector = await startCollector({
    config: makeConfig({ rateLimit: { perMinute: 60_000, burst: 1000 } }),
    ...(await testStorage(join(tmp.dir, 'notes.db'))),
    assetDirs: [],
  });
  base = collector.url;
});
afterAll(async () => {
  await collector.close();
  tmp.cleanup();
});

function send(method: string, path: string, body: unknown, auth: Record<string, string>) {
  return fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(body),
  });
}
const bearer = { authorization: 'Bearer sk_a_secret_0123456' };

async function signIn(name?: string): Promise<Record<string, string>> {
  const res = await postJson(`${base}/v1/session`, { secretKey: 'sk_a_secret_0123456', name });
  expect(res.status).toBe(200);
  return { cookie: (res.headers.get('set-cookie') as string).split(';')[0] as string };
}

async function person(anonymousId: string, email: string): Promise<string> {
  await sendBatch(base, [ev({ anonymousId, type: 'identify', traits: { email, name: email } })]);
  return contactIdOf(base, anonymousId);
}

describe('notes, owners and named sessions', () => {
  it('keeps the display name in the session and signs stage moves, notes and owners with it', async () => {
    const none = await readJson<{ session: unknown }>(await fetch(`${base}/v1/session`));
    expect(none).toEqual({ session: null });
    const sam = await signIn('  Sam Rivera ');
    expect(await readJson(await fetch(`${base}/v1/session`, { headers: sam }))).toEqual({
      session: { siteKey: 'pk_a', name: 'Sam Rivera' },
    });
    const id = await person('n-1', 'ann@notes.example');

    const moved = await readJson<ContactDetail>(
      await send('POST', `/v1/leads/${id}/stage`, { stage: 'sql' }, sam),
    );
    expect(moved.stageHistory.at(-1)?.by).toBe('session:Sam Rivera');

    const noted = await readJson<NotesAnswer>(
      await send('POST', `/v1/leads/${id}/notes`, { text: ' Asked for a call on Tuesday. ' }, sam),
    );
    expect(noted.notes).toEqual([
      { at: expect.any(Number), by: 'session:Sam Rivera', text: 'Asked for a call on Tuesday.' },
    ]);
    const owned = await readJson<NotesAnswer>(
      await send('PUT', `/v1/leads/${id}/owner`, { owner: 'Sam Rivera' }, sam),
    );
    expect(owned.owner).toEqual({ name: 'Sam Rivera', at: expect.any(Number), by: 'session:Sam Rivera' });
    await send('POST', `/v1/leads/${id}/notes`, { text: 'Sent the proposal.', by: 'Kim' }, bearer);

    const detail = await readJson<ContactDetail & NotesAnswer>(await getSecret(`${base}/v1/leads/${id}`));
    expect(detail.notes.map((n) => [n.by, n.text])).toEqual([
      ['session:Sam Rivera', 'Asked for a call on Tuesday.'],
      ['secret-key:Kim', 'Sent the proposal.'],
    ]);
    expect(detail.owner?.name).toBe('Sam Rivera');
    const list = await readJson<
      Page<ContactDetail & { owner: string | null; reached: Record<string, number> }>
    >(await getSecret(`${base}/v1/leads?limit=500`));
    const item = list.items.find((c) => c.id === id);
    expect(item?.owner).toBe('Sam Rivera');
    // List items say when each stage was reached (the dashboard's MQLs/SQLs/customers over time).
    expect(Object.keys(item?.reached ?? {})).toEqual(expect.arrayContaining(['visitor', 'lead', 'sql']));

    // Unassigning keeps the change in the record and leaves no owner.
    await send('PUT', `/v1/leads/${id}/owner`, { owner: null }, sam);
    expect((await readJson<NotesAnswer>(await getSecret(`${base}/v1/leads/${id}`))).owner).toBeNull();
    const again = await readJson<Page<{ id: string; owner: string | null }>>(
      await getSecret(`${base}/v1/leads?limit=500`),
    );
    expect(again.items.find((c) => c.id === id)?.owner).toBeNull();

    // A session signed in without a name is still "session".
    const anonymous = await signIn();
    const plain = await readJson<NotesAnswer>(
      await send('POST', `/v1/leads/${id}/notes`, { text: 'x' }, anonymous),
    );
    expect(plain.notes.at(-1)?.by).toBe('session');
  });

  it('refuses bad notes, owners and names with the field, and unknown contacts with 404', async () => {
    const id = await person('n-2', 'bo@notes.example');
    const cases: [Promise<Response>, number, RegExp][] = [
      [send('POST', `/v1/leads/${id}/notes`, { text: '' }, bearer), 400, /^text:/],
      [send('POST', `/v1/leads/${id}/notes`, { text: 'x'.repeat(2001) }, bearer), 400, /^text:/],
      [send('POST', `/v1/leads/${id}/notes`, ['x'], bearer), 400, /^body:/],
      [send('PUT', `/v1/leads/${id}/owner`, { owner: 7 }, bearer), 400, /^owner:/],
      [send('PUT', `/v1/leads/${id}/owner`, { owner: 'x'.repeat(101) }, bearer), 400, /^owner:/],
      [send('POST', `/v1/leads/${id}/notes`, { text: 'x', by: '' }, bearer), 400, /^by:/],
      [send('POST', '/v1/leads/nope/notes', { text: 'x' }, bearer), 404, /no contact/],
      [send('POST', `/v1/leads/${id}/notes`, { text: 'x' }, {}), 401, /credentials/],
      [
        send('POST', `/v1/leads/${id}/notes`, { text: 'x' }, { authorization: 'Bearer sk_b_secret_0123456' }),
        404,
        /no contact/,
      ],
      [
        postJson(`${base}/v1/session`, { secretKey: 'sk_a_secret_0123456', name: 'x'.repeat(101) }),
        400,
        /^name:/,
      ],
    ];
    for (const [response, status, message] of cases) {
      const res = await response;
      expect(res.status).toBe(status);
      expect((await readJson<ErrorAnswer>(res)).error.message).toMatch(message);
    }
  });

  it('moves notes along when two contacts merge, exports them, and erases them with the contact', async () => {
    const email = 'cy@notes.example';
    const kept = await person('n-3a', email);
    await sendBatch(base, [ev({ anonymousId: 'n-3b', path: '/pricing' })]);
    const other = await contactIdOf(base, 'n-3b');
    await send('POST', `/v1/leads/${other}/notes`, { text: 'Anonymous visitor from the fair.' }, bearer);
    await send('POST', `/v1/leads/${kept}/notes`, { text: 'Signed up.' }, bearer);
    // The anonymous browser identifies with the same email: its contact merges into the one holding it.
    await sendBatch(base, [ev({ anonymousId: 'n-3b', type: 'identify', traits: { email } })]);
    await expect.poll(() => contactIdOf(base, 'n-3b')).toBe(kept);
    const merged = await readJson<NotesAnswer>(await getSecret(`${base}/v1/leads/${kept}`));
    expect(merged.notes.map((n) => n.text).sort()).toEqual([
      'Anonymous visitor from the fair.',
      'Signed up.',
    ]);

    const exported = JSON.parse(await (await getSecret(`${base}/v1/leads/${kept}/export`)).text());
    expect(exported.notes).toHaveLength(2);

    const erased = await readJson<{ erased: Record<string, number> }>(
      await send('DELETE', `/v1/leads/${kept}`, {}, bearer),
    );
    expect(erased.erased.notes).toBe(2);
    expect((await getSecret(`${base}/v1/leads/${kept}`)).status).toBe(404);
  });
});
