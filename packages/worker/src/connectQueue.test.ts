import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeEvent, quotaStorage } from '../test/fakeQueueDeps.js';
import { connectQueue } from './connectQueue.js';
import { checkOptions } from './openQueue.js';
import type { QueueOptions } from './protocol.js';

const valid: QueueOptions = { endpoint: 'https://collector.example/', siteKey: 'pk_test' };

describe('checkOptions', () => {
  it('names the bad field', () => {
    const cases: [unknown, string][] = [
      [null, 'options: expected an object'],
      [{ ...valid, endpoint: 'ftp://x' }, 'endpoint: expected an http(s) URL, got "ftp://x"'],
      [{ ...valid, siteKey: '' }, 'siteKey: expected a non-empty string'],
      [{ ...valid, serviceWorker: { path: 5 } }, 'serviceWorker.path: expected a string'],
      [{ ...valid, queueUrl: 7 }, 'queueUrl: expected a string'],
      [{ ...valid, limits: { maxEvents: -1 } }, 'limits.maxEvents: expected a positive number, got -1'],
      [{ ...valid, limits: { maxAgeMs: 8 * 24 * 3600_000 } }, 'limits.maxAgeMs: expected less than 7 days'],
    ];
    for (const [options, message] of cases) {
      expect(() => checkOptions(options as QueueOptions)).toThrow(
        expect.objectContaining({
          name: 'WorkerError',
          code: 'invalid_options',
          message: expect.stringContaining(message),
        }),
      );
    }
  });

  it('fills defaults and trims the endpoint', () => {
    expect(checkOptions(valid)).toMatchObject({
      endpoint: 'https://collector.example',
      siteKey: 'pk_test',
      send: true,
      automated: false,
      debug: false,
      limits: { batchMaxEvents: 1000 },
    });
  });
});

describe('connectQueue with invalid options', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('does not throw; every call rejects with invalid_options naming the field, and debug says so', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const client = connectQueue({ ...valid, debug: true, limits: { retryMaxMs: 0 } });
    expect(client.mode).toBe('pending');
    client.enqueue(makeEvent()); // no storage in node: kept in memory, nothing throws
    const off = client.onScore(() => {});
    const expected = expect.objectContaining({
      code: 'invalid_options',
      message: 'limits.retryMaxMs: expected a positive number, got 0',
    });
    await expect(client.flush()).rejects.toEqual(expected);
    await expect(client.score()).rejects.toEqual(expected);
    await expect(client.stats()).rejects.toEqual(expected);
    await expect(client.purge()).rejects.toEqual(expected);
    expect(() => off()).not.toThrow();
    expect(() => client.close()).not.toThrow();
    expect(client.mode).toBe('pending');
    expect(debug).toHaveBeenCalledWith('[leadlight queue]', expected);
  });

  it('stays quiet without debug', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const client = connectQueue(null as unknown as QueueOptions);
    await expect(client.flush()).rejects.toMatchObject({ message: 'options: expected an object' });
    expect(debug).not.toHaveBeenCalled();
  });
});

describe('connectQueue without the in-page queue chunk', () => {
  afterEach(() => {
    delete (globalThis as { localStorage?: Storage }).localStorage;
  });

  it('keeps the newest 1,000 write-ahead entries once the queue cannot connect, so they never fill the storage', async () => {
    const storage = quotaStorage();
    (globalThis as { localStorage?: Storage }).localStorage = storage;
    // Entries of earlier pages whose chunk was blocked too, plus this page's.
    const earlier = Array.from({ length: 1200 }, () => makeEvent());
    for (const e of earlier) storage.setItem(`ll:q:pk_test:${e.id}`, JSON.stringify(e));
    storage.setItem('site-own-key', 'kept');
    // No document here: loading the chunk fails, as it does behind a blocker.
    const client = connectQueue(valid);
    const mine = makeEvent();
    client.enqueue(mine);
    await expect(client.flush()).rejects.toThrow();
    const left = Object.keys(storage).filter((k) => k.startsWith('ll:q:pk_test:'));
    expect(left).toHaveLength(1000);
    expect(left).toContain(`ll:q:pk_test:${mine.id}`);
    expect(left).not.toContain(`ll:q:pk_test:${earlier[0]!.id}`);
    expect(storage.getItem('site-own-key')).toBe('kept');
  });
});

describe('connectQueue on a page its service worker controls', () => {
  /** A service worker that answers comlink calls on the ports pages post to it, recording what they add. */
  const fakeWorker = (scriptURL: string) => {
    const added: string[] = [];
    const ports: MessagePort[] = [];
    const worker = {
      scriptURL,
      postMessage(message: { leadlight: string }, transfer: MessagePort[] = []) {
        const port = transfer[0];
        if (message.leadlight !== 'connect' || !port) return;
        ports.push(port);
        port.onmessage = ({ data }) => {
          if (data.type === 'RELEASE') return port.close();
          const [events] = data.argumentList.map((a: { value: unknown }) => a.value);
          if (data.path[0] === 'add') added.push(...(events as { id: string }[]).map((e) => e.id));
          port.postMessage({ id: data.id, type: 'RAW', value: { sent: 0, pending: added.length } });
        };
      },
    };
    return { worker, added, ports };
  };

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  // After a quick navigation the browser queues register() behind its update check of the worker script,
  // which waits until the worker is idle: seconds, while the new page's view waited to be handed over.
  it('hands events over to the controlling worker at once, while register() waits behind an update check', async () => {
    const sw = fakeWorker('https://site.example/leadlight-sw.js');
    const register = vi.fn(() => new Promise<never>(() => {}));
    vi.stubGlobal('document', { baseURI: 'https://site.example/pricing/' });
    vi.stubGlobal('navigator', {
      serviceWorker: { controller: sw.worker, register, addEventListener() {}, removeEventListener() {} },
    });
    const client = connectQueue({ ...valid, serviceWorker: { path: '/leadlight-sw.js' } });
    const view = makeEvent({ type: 'page_view' });
    client.enqueue(view);
    await expect(client.flush()).resolves.toEqual({ sent: 0, pending: 1 });
    expect(sw.added).toEqual([view.id]);
    expect(client.mode).toBe('sw');
    expect(register).toHaveBeenCalledWith('/leadlight-sw.js', undefined);
    client.close();
  }, 5_000);

  it('waits for its own registration when another service worker controls the page', async () => {
    const other = fakeWorker('https://site.example/site-sw.js');
    vi.stubGlobal('document', { baseURI: 'https://site.example/' });
    vi.stubGlobal('navigator', {
      serviceWorker: {
        controller: other.worker,
        register: () => new Promise<never>(() => {}),
        addEventListener() {},
        removeEventListener() {},
      },
    });
    const client = connectQueue({ ...valid, serviceWorker: { path: '/leadlight-sw.js' } });
    client.enqueue(makeEvent());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(other.ports).toHaveLength(0);
    expect(client.mode).toBe('pending');
    client.close();
  });
});
