import { describe, expect, it, vi } from 'vitest';
import type { QueueBackend } from './protocol.js';

// The backend is held back so the test decides when it connects; what is checked is the session's own rule.
let connect!: (backend: QueueBackend) => void;
vi.mock('./queueConnector.js', () => ({
  connectBackend: () =>
    new Promise<QueueBackend>((resolve) => {
      connect = resolve;
    }),
}));
const { openQueue } = await import('./queueSession.js');

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
});
