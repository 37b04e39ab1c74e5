import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackedEvent } from '@leadlight/scoring-core';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CollectorProcess, spawnCollector } from './collectorProcess.js';
import {
  type BatchAnswer,
  contactIdOf,
  ev,
  MODEL,
  makeConfig,
  readJson,
  sendBatch,
  startWebhookReceiver,
  tempDir,
} from './fixtures.js';
import { createTestDatabase, usePostgres } from './postgresDatabase.js';

/** Events that take one visitor from nothing to MQL (fit 25 + demo click 30 ≥ 50). */
function mqlEvents(anonymousId: string, email: string): TrackedEvent[] {
  return [
    ev({ anonymousId, path: '/pricing' }),
    ev({ anonymousId, type: 'identify', traits: { email, role: 'vp', companySize: 400 } }),
    ev({ anonymousId, type: 'cta_click', props: { cta: 'demo' } }),
  ];
}

async function stop(proc: CollectorProcess): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGTERM');
  await exited;
}

// Child processes on a shared 2-core machine: generous time per test.
describe.skipIf(!usePostgres())(
  'several collector processes on one PostgreSQL database',
  { timeout: 120_000 },
  () => {
    let tmp: ReturnType<typeof tempDir>;
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
    let databaseUrl: string;
    let db: pg.Client;
    let procs: CollectorProcess[] = [];

    async function startCollectors(n: number): Promise<CollectorProcess[]> {
      const configPath = join(tmp.dir, 'leadlight.config.json');
      writeFileSync(
        configPath,
        JSON.stringify(
          makeConfig({
            rateLimit: { perMinute: 1_000_000, burst: 100_000 },
            webhooks: [{ url: receiver.url, secret: 'whsec_multi_process_1', events: ['lead.mql'] }],
          }),
        ),
      );
      // Started together: they race on migrations and on publishing the config model.
      const started = await Promise.all(
        Array.from({ length: n }, () =>
          spawnCollector(['--host', '127.0.0.1', '--port', '0', '--config', configPath], {
            DATABASE_URL: databaseUrl,
            LEADLIGHT_PG_POOL_SIZE: '4',
          }),
        ),
      );
      procs.push(...started);
      return started;
    }

    async function count(sql: string, params: unknown[] = []): Promise<number> {
      return Number((await db.query(sql, params)).rows[0].n);
    }

    /** Waits until the outbox is drained, then answers lead.mql deliveries per contact. */
    async function mqlDeliveries(): Promise<Map<string, number>> {
      await expect
        .poll(() => count("SELECT count(*) AS n FROM outbox WHERE status = 'pending'"), { timeout: 30_000 })
        .toBe(0);
      const per = new Map<string, number>();
      for (const payload of receiver.payloads('lead.mql')) {
        const contactId: string = payload.data.contact.id;
        per.set(contactId, (per.get(contactId) ?? 0) + 1);
      }
      return per;
    }

    beforeEach(async () => {
      tmp = tempDir();
      receiver = await startWebhookReceiver();
      databaseUrl = await createTestDatabase('multi');
      db = new pg.Client(databaseUrl);
      await db.connect();
      procs = [];
    });
    afterEach(async () => {
      await Promise.all(procs.map(stop));
      await db.end();
      await receiver.close();
      tmp.cleanup();
    });

    for (const n of [2, 4]) {
      it(`${n} collectors fed the same batches at the same moment store each event once and fire one lead.mql per contact`, async () => {
        const collectors = await startCollectors(n);
        const visitors = 24;
        const batches = Array.from({ length: visitors }, (_, v) =>
          mqlEvents(`same-${n}-${v}`, `buyer${v}@same.example`),
        );
        const accepted = new Map<number, number>();
        await Promise.all(
          batches.map(async (events, v) => {
            const answers = await Promise.all(collectors.map((c) => sendBatch(c.url, events)));
            for (const res of answers) {
              expect(res.status).toBe(200);
              const body = await readJson<BatchAnswer>(res);
              expect(body.acked.sort()).toEqual(events.map((e) => e.id).sort());
              accepted.set(v, (accepted.get(v) ?? 0) + body.accepted);
            }
          }),
        );
        // Across all processes each event was accepted exactly once; the others answered duplicates.
        expect([...accepted.values()]).toEqual(batches.map((b) => b.length));
        expect(await count('SELECT count(*) AS n FROM events')).toBe(visitors * 3);
        expect(await count('SELECT count(*) AS n FROM contacts')).toBe(visitors);
        expect(await count("SELECT count(*) AS n FROM contacts WHERE stage = 'mql'")).toBe(visitors);
        expect(await count('SELECT count(DISTINCT contact_id) AS n FROM anonymous_ids')).toBe(visitors);
        expect(await count('SELECT count(*) AS n FROM stage_history WHERE to_stage = $1', ['mql'])).toBe(
          visitors,
        );
        const per = await mqlDeliveries();
        expect(per.size).toBe(visitors);
        expect([...per.values()].every((k) => k === 1)).toBe(true);
        expect(new Set(receiver.deliveries.map((d) => String(d.headers['leadlight-delivery']))).size).toBe(
          receiver.deliveries.length,
        );
      });
    }

    it('two devices of one person identifying at the same moment through different collectors end as one contact', async () => {
      const collectors = await startCollectors(4);
      const people = 16;
      // Each device first browses on its own (two anonymous contacts per person, on different collectors).
      await Promise.all(
        Array.from({ length: people }, async (_, p) => {
          const [a, b] = [collectors[p % 4]!, collectors[(p + 1) % 4]!];
          expect(
            (await sendBatch(a.url, [ev({ anonymousId: `p${p}-laptop`, path: '/pricing' })])).status,
          ).toBe(200);
          expect(
            (await sendBatch(b.url, [ev({ anonymousId: `p${p}-phone`, path: '/pricing/team' })])).status,
          ).toBe(200);
        }),
      );
      expect(await count('SELECT count(*) AS n FROM contacts')).toBe(people * 2);
      // Then both identify with the same email at once, through two different collectors.
      await Promise.all(
        Array.from({ length: people }, async (_, p) => {
          const email = `Person${p}@Cross.Example`;
          const answers = await Promise.all([
            sendBatch(collectors[p % 4]!.url, mqlEvents(`p${p}-laptop`, email)),
            sendBatch(collectors[(p + 2) % 4]!.url, mqlEvents(`p${p}-phone`, email.toLowerCase())),
          ]);
          for (const res of answers) expect(res.status).toBe(200);
        }),
      );
      expect(await count('SELECT count(*) AS n FROM contacts')).toBe(people);
      expect(
        await count(
          'SELECT count(*) AS n FROM (SELECT email FROM contacts GROUP BY email HAVING count(*) > 1) d',
        ),
      ).toBe(0);
      for (let p = 0; p < people; p += 1) {
        const { rows } = await db.query(
          'SELECT DISTINCT contact_id FROM anonymous_ids WHERE anonymous_id = ANY($1)',
          [[`p${p}-laptop`, `p${p}-phone`]],
        );
        expect(rows.length).toBe(1);
        const owner = rows[0].contact_id as string;
        // Both devices' events (2 page views + 2 × 3) now belong to the surviving contact, which scored all of them.
        expect(await count('SELECT count(*) AS n FROM events WHERE contact_id = $1', [owner])).toBe(8);
        const contact = (
          await db.query('SELECT email, event_count, stage FROM contacts WHERE id = $1', [owner])
        ).rows[0];
        expect(contact).toEqual({ email: `person${p}@cross.example`, event_count: 8, stage: 'mql' });
      }
      const per = await mqlDeliveries();
      expect(per.size).toBe(people);
      expect([...per.values()].every((k) => k === 1)).toBe(true);
    });

    it('live changes and a published model reach every collector', async () => {
      const [a, b] = (await startCollectors(2)) as [CollectorProcess, CollectorProcess];
      const controller = new AbortController();
      const stream = await fetch(`${b.url}/v1/stream`, {
        headers: { authorization: 'Bearer sk_a_secret_0123456' },
        signal: controller.signal,
      });
      expect(stream.status).toBe(200);
      let text = '';
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      const reading = (async () => {
        for (;;) {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (done) return;
          text += decoder.decode(value, { stream: true });
        }
      })();
      try {
        // A batch through A shows up on B's stream (LISTEN/NOTIFY), with A's contact id.
        await sendBatch(a.url, mqlEvents('live-1', 'live@fanout.example'));
        const contactId = await contactIdOf(a.url, 'live-1');
        await expect.poll(() => text.includes(contactId), { timeout: 10_000 }).toBe(true);
        expect(text).toContain('event: stage');
        // A model published through A is used by B for the next batch.
        const model = {
          ...MODEL,
          version: 'test-2',
          rules: [{ id: 'any-page', event: 'page_view', points: 7 }],
        };
        const put = await fetch(`${a.url}/v1/model`, {
          method: 'PUT',
          headers: { authorization: 'Bearer sk_a_secret_0123456', 'content-type': 'application/json' },
          body: JSON.stringify(model),
        });
        expect(put.status).toBe(200);
        const { modelHash } = await readJson<{ modelHash: string }>(put);
        await expect
          .poll(
            async () =>
              (
                await readJson<BatchAnswer>(
                  await sendBatch(b.url, [ev({ anonymousId: `model-${Math.random()}` })]),
                )
              ).score.modelHash,
            { timeout: 10_000 },
          )
          .toBe(modelHash);
      } finally {
        controller.abort();
        await reading;
      }
    });

    it('kill -9 of one collector mid-load loses nothing it acknowledged', async () => {
      const [victim, survivor] = (await startCollectors(2)) as [CollectorProcess, CollectorProcess];
      const acked = new Set<string>();
      const unanswered: TrackedEvent[][] = [];
      let answered = 0;
      let killed = false;
      const worker = async (w: number) => {
        for (let i = 0; i < 60; i += 1) {
          const events = Array.from({ length: 10 }, () => ev({ anonymousId: `load-${w}-${i % 4}` }));
          const target = i % 2 === 0 || killed ? victim : survivor;
          try {
            const res = await sendBatch(target.url, events);
            if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
            for (const id of (await readJson<BatchAnswer>(res)).acked) acked.add(id);
            answered += 1;
            if (answered === 80 && !killed) {
              killed = true;
              victim.child.kill('SIGKILL');
            }
          } catch {
            // Not acknowledged: the client keeps it and retries elsewhere later.
            unanswered.push(events);
          }
        }
      };
      await Promise.all([0, 1, 2, 3, 4, 5].map(worker));
      expect(victim.child.signalCode).toBe('SIGKILL');
      expect(unanswered.length).toBeGreaterThan(0);
      const stored = new Set((await db.query('SELECT id FROM events')).rows.map((r) => r.id as string));
      expect([...acked].filter((id) => !stored.has(id))).toEqual([]);
      // The unacknowledged batches, retried on the survivor, are stored once (some may have committed).
      for (const events of unanswered) expect((await sendBatch(survivor.url, events)).status).toBe(200);
      const all = new Set([...acked, ...unanswered.flat().map((e) => e.id)]);
      expect(await count('SELECT count(*) AS n FROM events')).toBe(all.size);
      // The dead process's connections are gone: no row stays locked.
      const res = await sendBatch(survivor.url, [ev({ anonymousId: 'load-0-0' })]);
      expect(res.status).toBe(200);
    });
  },
);
