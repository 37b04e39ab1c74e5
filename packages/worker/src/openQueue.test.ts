import { describe, expect, it, vi } from 'vitest';
import { makeEvent } from '../test/fakeQueueDeps.js';
import { DEFAULT_LIMITS } from './flushPolicy.js';
import type { QueueBackend, QueueConfig } from './protocol.js';

// The backend is held back so the test decides when it connects; what is checked is the session's own rule.
let connect!: (backend: QueueBackend) => void;
let config: QueueConfig | undefined;
vi.mock('./connectBackend.js', () => ({
  connectBackend: (given: QueueConfig) => {
    config = given;
    return new Promise<QueueBackend>((resolve) => {
      connect = resolve;
    });
  },
}));
const { openCheckedQueue, openQueue } = await import('./openQueue.js');

describe('openQueue', () => {
  it('closes a backend that connects after the session was closed', async () => {
    const session = openQueue({ endpoint: 'https://collector.example', siteKey: 'pk_test' }, []);
    session.close();
    const close = vi.fn();
    connect({ mode: 'page', api: {} as QueueBackend['api'], hide: () => {}, close });
    await vi.waitFor(() => expect(close).toHaveBeenCalledTimes(1));
  });

  it('leaves a connected backend open until the session closes', async () => {
    const session = openQueue({ endpoint: 'https://collector.example', siteKey: 'pk_test' }, []);
    const close = vi.fn();
    connect({ mode: 'page', api: {} as QueueBackend['api'], hide: () => {}, close });
    await vi.waitFor(() => expect(session.mode).toBe('page'));
    expect(close).not.toHaveBeenCalled();
    session.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('hands nothing over that a purge dropped while the backend was connecting (consent denied)', async () => {
    const session = openQueue({ endpoint: 'https://collector.example', siteKey: 'pk_test' }, []);
    session.enqueue(makeEvent({ type: 'form_submit' }));
    session.enqueue(makeEvent({ type: 'form_submit' }));
    await new Promise((resolve) => setTimeout(resolve, 10)); // the hand-over is scheduled and waiting
    const purged = session.purge();
    const api = { add: vi.fn(async (_events: unknown[]) => {}), purge: vi.fn(async () => {}) };
    connect({ mode: 'page', api: api as unknown as QueueBackend['api'], hide: () => {}, close: () => {} });
    await purged;
    expect(api.add).not.toHaveBeenCalled();
    expect(api.purge).toHaveBeenCalledTimes(1);
    session.enqueue(makeEvent());
    await session.flush().catch(() => {});
    expect(api.add).toHaveBeenCalledTimes(1);
    expect(api.add.mock.calls[0]![0]).toHaveLength(1);
  });

  it('hands over on pagehide the events still on their way to the backend, and none a purge dropped', async () => {
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
    try {
      const session = openQueue({ endpoint: 'https://collector.example', siteKey: 'pk_test' }, []);
      const hide = vi.fn();
      // The backend never finishes storing: the first hand-over stays under way.
      const api = { add: vi.fn(() => new Promise<void>(() => {})), purge: vi.fn(async () => {}) };
      connect({ mode: 'page', api: api as unknown as QueueBackend['api'], hide, close: () => {} });
      const [a, b] = [makeEvent(), makeEvent()];
      session.enqueue(a);
      await vi.waitFor(() => expect(api.add).toHaveBeenCalledTimes(1));
      session.enqueue(b);
      window.dispatchEvent(new Event('pagehide'));
      expect(hide).toHaveBeenCalledTimes(1);
      expect(hide.mock.calls[0]![0]).toEqual([a, b]);
      void session.purge();
      window.dispatchEvent(new Event('pagehide'));
      expect(hide.mock.calls[1]![0]).toEqual([]);
      session.close();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('opens checked options without checking them again, on the default limits', () => {
    const session = openCheckedQueue({
      endpoint: 'https://collector.example/',
      siteKey: 'pk_test',
      send: false,
    });
    expect(config).toEqual({
      endpoint: 'https://collector.example',
      siteKey: 'pk_test',
      send: false,
      automated: false,
      debug: false,
      limits: DEFAULT_LIMITS,
    });
    session.close();
  });
});
