import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCollector } from './collectorProcess.js';
import { type BatchAnswer, ev, makeConfig, postJson, readJson, sendBatch, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let configPath: string;
beforeAll(() => {
  tmp = tempDir();
  configPath = join(tmp.dir, 'leadlight.config.json');
  writeFileSync(
    configPath,
    JSON.stringify(makeConfig({ rateLimit: { perMinute: 1_000_000, burst: 100_000 } })),
  );
});
afterAll(() => tmp.cleanup());

describe('leadlight-collector CLI', () => {
  it('prints --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--static DIR');
    expect(stdout).toContain('--trust-proxy');
    expect(stdout).toContain('DATABASE_URL');
  });

  it('refuses bad flags and environment with exact messages and exit code 2', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['--port', 'abc'], {}, 'leadlight-collector: --port: expected an integer from 0 to 65535, got "abc"'],
      [['--port=70000'], {}, 'leadlight-collector: --port: expected an integer from 0 to 65535, got "70000"'],
      [[], { PORT: '-1' }, 'leadlight-collector: PORT: expected an integer from 0 to 65535, got "-1"'],
      [['--verbose'], {}, 'leadlight-collector: unknown option "--verbose" (see --help)'],
      [['--db'], {}, 'leadlight-collector: --db: expected a value'],
      [['--trust-proxy=yes'], {}, 'leadlight-collector: --trust-proxy: takes no value'],
      [
        [],
        { LEADLIGHT_TRUST_PROXY: 'yes' },
        'leadlight-collector: LEADLIGHT_TRUST_PROXY: expected 1 or 0, got "yes"',
      ],
      [
        ['--static', join(tmp.dir, 'missing')],
        {},
        `leadlight-collector: --static: ${join(tmp.dir, 'missing')} is not a folder`,
      ],
      [
        [],
        { DATABASE_URL: 'mysql://x' },
        'leadlight-collector: DATABASE_URL: expected a postgres:// or postgresql:// URL',
      ],
    ];
    for (const [args, env, message] of cases) {
      const { code, stderr } = await runCli(['--config', configPath, ...args], env);
      expect(stderr.trim()).toBe(message);
      expect(code).toBe(2);
    }
  });

  it('refuses a bad config file with every problem and its path', async () => {
    const bad = join(tmp.dir, 'bad.json');
    const config = makeConfig();
    (config.sites[0] as Record<string, unknown>).colour = 'red';
    (config.sites[1] as Record<string, unknown>).siteKey = 'pk_a';
    (config.sites[1] as Record<string, unknown>).secretKey = 'sk_b_short';
    writeFileSync(bad, JSON.stringify(config));
    const { code, stderr } = await runCli([], { LEADLIGHT_CONFIG: bad });
    expect(code).toBe(1);
    expect(stderr).toContain('sites[0].colour: unknown field');
    expect(stderr).toContain(
      `sites[1].secretKey: too short (10 characters): use at least 16 random characters; generate one with: node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))" or: openssl rand -hex 24`,
    );
    expect(stderr).toContain('sites[1].siteKey: duplicate site key (also sites[0].siteKey)');
    const { stderr: missing } = await runCli(['--config', join(tmp.dir, 'nope.json')]);
    expect(missing).toContain('cannot read config');
  });

  it('--trust-proxy takes the protocol from X-Forwarded-Proto: the session cookie is Secure over https', async () => {
    const proc = await spawnCollector([
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--db',
      join(tmp.dir, 'proxy.db'),
      '--config',
      configPath,
      '--trust-proxy',
    ]);
    try {
      const signIn = (headers: Record<string, string>) =>
        postJson(`${proc.url}/v1/session`, { secretKey: 'sk_a_secret_0123456' }, headers);
      const tls = await signIn({ 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
      expect(tls.headers.get('set-cookie')).toMatch(/; Secure$/);
      expect((await signIn({})).headers.get('set-cookie')).not.toMatch(/Secure/);
    } finally {
      const exited = new Promise((resolve) => proc.child.once('exit', resolve));
      proc.child.kill('SIGTERM');
      await exited;
    }
  });

  it('loses no acknowledged event when SIGKILLed during a burst of batches', async () => {
    const dbPath = join(tmp.dir, 'crash.db');
    const proc = await spawnCollector([
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--db',
      dbPath,
      '--config',
      configPath,
    ]);
    const acked = new Set<string>();
    let answered = 0;
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; i < 400 && !killed; i += 1) {
        const events = Array.from({ length: 10 }, () => ev({ anonymousId: `crash-${w}-${i % 5}` }));
        try {
          const res = await sendBatch(proc.url, events);
          if (res.status !== 200) continue;
          const body = await readJson<BatchAnswer>(res);
          for (const id of body.acked) acked.add(id);
          answered += 1;
          if (answered === 60) {
            killed = true;
            proc.child.kill('SIGKILL');
          }
        } catch {
          // the connection died with the process: nothing was acknowledged for this batch
        }
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5].map(worker));
    await new Promise((resolve) =>
      proc.child.exitCode !== null || proc.child.signalCode
        ? resolve(null)
        : proc.child.once('exit', resolve),
    );
    expect(proc.child.signalCode).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(600);
    const db = new Database(dbPath);
    const stored = new Set(db.prepare("SELECT id FROM events WHERE site = 'pk_a'").pluck().all() as string[]);
    db.close();
    const lost = [...acked].filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
    // And the collector starts again on the same file and keeps deduplicating.
    const again = await spawnCollector([
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--db',
      dbPath,
      '--config',
      configPath,
    ]);
    try {
      const first = [...acked].slice(0, 5);
      const replay = await readJson<BatchAnswer>(
        await sendBatch(
          again.url,
          first.map((id) => ev({ id, anonymousId: 'crash-replay' })),
        ),
      );
      expect(replay).toMatchObject({ accepted: 0, duplicates: 5 });
    } finally {
      again.child.kill('SIGTERM');
      await new Promise((resolve) => again.child.once('exit', resolve));
    }
  });
});
