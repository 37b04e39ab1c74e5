import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../src/index.js';
import { type CollectorProcess, spawnCollector } from './collectorProcess.js';
import { type ErrorAnswer, makeConfig, postJson, readJson, tempDir, testStorage } from './fixtures.js';

// Runs on SQLite and, in the `postgres` project, on PostgreSQL: in process and as the real CLI.

const SIZE = 3 * 1024 * 1024;
const bigBody = () => JSON.stringify({ siteKey: 'pk_a', events: [], pad: 'p'.repeat(SIZE) });

/**
 * Writes raw HTTP/1.1 on one connection and answers all the server wrote until it closed the
 * connection, plus the socket error if there was one (a reset, an EPIPE).
 */
function exchange(url: string, requests: Buffer[]): Promise<{ text: string; error: string | null }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    let error: string | null = null;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => resolve({ text, error }));
    socket.on('connect', () => {
      for (const request of requests) socket.write(request);
    });
  });
}

function oversized(host: string): Buffer[] {
  const body = Buffer.from(bigBody());
  const chunked = [
    `${(SIZE / 2).toString(16)}\r\n${'c'.repeat(SIZE / 2)}\r\n`,
    `${(SIZE / 2).toString(16)}\r\n${'c'.repeat(SIZE / 2)}\r\n`,
    '0\r\n\r\n',
  ];
  return [
    Buffer.from(
      `POST /v1/batch HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    ),
    body,
    Buffer.from(
      `POST /v1/batch HTTP/1.1\r\nHost: ${host}\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n`,
    ),
    ...chunked.map((c) => Buffer.from(c)),
    Buffer.from(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  ];
}

/** Two 3 MiB bodies (with a length, then chunked) and a health check, pipelined on one connection. */
async function expectClean413(url: string): Promise<void> {
  const { text, error } = await exchange(url, oversized(new URL(url).host));
  expect(error).toBeNull();
  const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
  expect(statuses).toEqual(['413', '413', '200']);
  expect(text.match(/"code":"payload_too_large"/g)).toHaveLength(2);
  // And as an ordinary client sends it, in both content types the SDK uses.
  for (const type of ['application/json', 'text/plain;charset=UTF-8']) {
    const res = await postJson(`${url}/v1/batch`, bigBody(), { 'content-type': type });
    expect(res.status).toBe(413);
    expect((await readJson<ErrorAnswer>(res)).error).toEqual({
      code: 'payload_too_large',
      message: 'body: larger than 524288 bytes',
    });
  }
}

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('a body over the limit gets a 413 answer, never a reset connection', () => {
  let collector: RunningCollector;
  beforeAll(async () => {
    collector = await startCollector({
      config: makeConfig(),
      ...(await testStorage(join(tmp.dir, 'inprocess.db'))),
      assetDirs: [],
    });
  });
  afterAll(() => collector.close());

  it('in process', async () => {
    await expectClean413(collector.url);
  });

  it('from the CLI', async () => {
    const configPath = join(tmp.dir, 'leadlight.config.json');
    writeFileSync(configPath, JSON.stringify(makeConfig()));
    const storage = await testStorage(join(tmp.dir, 'cli.db'));
    const proc: CollectorProcess = await spawnCollector(
      [
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--config',
        configPath,
        ...('dbPath' in storage ? ['--db', storage.dbPath] : []),
      ],
      { DATABASE_URL: 'databaseUrl' in storage ? storage.databaseUrl : '' },
    );
    try {
      expect(proc.output()).toContain('databaseUrl' in storage ? '(PostgreSQL' : '(SQLite');
      await expectClean413(proc.url);
    } finally {
      const exited = new Promise((resolve) => proc.child.once('exit', resolve));
      proc.child.kill('SIGTERM');
      await exited;
    }
  });
});
