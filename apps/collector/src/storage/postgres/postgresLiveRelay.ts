import { randomUUID } from 'node:crypto';
import type { LiveEvent } from '@leadlight/scoring-core/wire';
import pg from 'pg';
import type { LiveRelay } from '../../liveHub.js';

/** The NOTIFY channel that fans live score and stage changes out to every collector process. */
export const LIVE_CHANNEL = 'leadlight_live';
/** The NOTIFY channel that tells every collector process a site's model was published. */
export const MODEL_CHANNEL = 'leadlight_model';
/** NOTIFY payloads must stay under 8000 bytes; live events are chunked below this. */
const MAX_NOTIFY_BYTES = 7000;

/** Live events of other processes, through LISTEN/NOTIFY on a dedicated connection. */
export class PostgresLiveRelay implements LiveRelay {
  private readonly origin = randomUUID();
  private client: pg.Client | undefined;
  private deliver: ((siteKey: string, events: LiveEvent[]) => void) | undefined;
  /** Listeners of published models (the same connection LISTENs to both channels). */
  readonly modelListeners: ((siteKey: string) => void)[] = [];
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly config: pg.ClientConfig,
    private readonly onError: (message: string) => void,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('notification', (msg) => {
      if (msg.channel === MODEL_CHANNEL && msg.payload) {
        for (const listener of this.modelListeners) listener(msg.payload);
        return;
      }
      if (msg.channel !== LIVE_CHANNEL || !msg.payload) return;
      try {
        const note = JSON.parse(msg.payload) as { o: string; s: string; e: LiveEvent[] };
        if (note.o !== this.origin) this.deliver?.(note.s, note.e);
      } catch {
        this.onError('live relay: ignored a malformed notification');
      }
    });
    client.on('error', (error) => {
      this.onError(`live relay: ${error.message}; reconnecting`);
      this.restart(client);
    });
    client.on('end', () => this.restart(client));
    await client.connect();
    await client.query(`LISTEN ${LIVE_CHANNEL}; LISTEN ${MODEL_CHANNEL}`);
    this.client = client;
  }

  private restart(dead: pg.Client): void {
    if (this.closed || this.client !== dead) return;
    this.client = undefined;
    dead.end().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      this.start().catch((error: Error) => {
        this.onError(`live relay: ${error.message}`);
        if (!this.closed) this.retryTimer = setTimeout(() => this.restartLater(), 1000);
      });
    }, 500);
    this.retryTimer.unref();
  }

  private restartLater(): void {
    if (this.closed || this.client) return;
    this.start().catch(() => {
      if (!this.closed) this.retryTimer = setTimeout(() => this.restartLater(), 1000);
    });
  }

  listen(deliver: (siteKey: string, events: LiveEvent[]) => void): void {
    this.deliver = deliver;
  }

  send(siteKey: string, events: LiveEvent[]): void {
    if (this.closed || events.length === 0) return;
    const chunks: LiveEvent[][] = [];
    let chunk: LiveEvent[] = [];
    let size = 0;
    for (const event of events) {
      const bytes = Buffer.byteLength(JSON.stringify(event));
      if (chunk.length > 0 && size + bytes > MAX_NOTIFY_BYTES) {
        chunks.push(chunk);
        chunk = [];
        size = 0;
      }
      chunk.push(event);
      size += bytes;
    }
    chunks.push(chunk);
    for (const part of chunks) {
      const payload = JSON.stringify({ o: this.origin, s: siteKey, e: part });
      this.pool
        .query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, payload])
        .catch((error: Error) => this.onError(`live relay: ${error.message}`));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
