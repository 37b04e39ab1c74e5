import { signWebhook } from './signWebhook.js';
import type { SiteRegistry } from './siteRegistry.js';
import type { OutboxItem, Storage } from './storage/storage.js';

/** How the outbox retries: exponential backoff from `baseMs` up to `maxMs`, then gives up. */
export interface WebhookRetryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
  /** How often the outbox is polled for due deliveries. */
  pollMs: number;
  /** How long one delivery may take. */
  timeoutMs: number;
}

/** The default policy: 2 s, 4 s, 8 s … capped at 1 h, each wait jittered to 50–100 %; 16 attempts (at most about 5 h in all). */
export const DEFAULT_RETRY: WebhookRetryPolicy = {
  baseMs: 2000,
  maxMs: 3_600_000,
  maxAttempts: 16,
  pollMs: 1000,
  timeoutMs: 10_000,
};

/** Everything the dispatcher needs, injected so tests swap clock, transport and timers. */
export interface WebhookDispatcherOptions {
  storage: Storage;
  sites: SiteRegistry;
  now: () => number;
  fetch: typeof fetch;
  retry: WebhookRetryPolicy;
  random?: () => number;
  onError?: (message: string) => void;
}

/** Delivers queued webhooks from the durable outbox, signing each attempt, retrying with backoff. */
export class WebhookDispatcher {
  private readonly o: WebhookDispatcherOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(options: WebhookDispatcherOptions) {
    this.o = options;
  }

  /** Starts polling (due deliveries left by an earlier run are sent at once). */
  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Looks for due deliveries now (called after a transaction queued some). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.tick().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
      } else {
        this.timer = setTimeout(() => this.wake(), this.o.retry.pollMs);
        this.timer.unref();
      }
    });
  }

  /** Stops polling and waits for deliveries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      for (;;) {
        const items = await this.o.storage.claimWebhooks(this.o.now(), 20, this.o.retry.timeoutMs * 3);
        if (items.length === 0) return;
        await Promise.all(items.map((item) => this.deliver(item)));
        if (this.stopped) return;
      }
    } catch (error) {
      this.o.onError?.(`webhook outbox: ${(error as Error).message}`);
    }
  }

  private async deliver(item: OutboxItem): Promise<void> {
    const { storage, sites, now, retry } = this.o;
    const hook = sites.bySiteKey(item.siteKey)?.config.webhooks.find((w) => w.url === item.url);
    if (!hook) {
      await storage.failWebhook(item.id, 'webhook no longer configured');
      return;
    }
    let failure: string;
    try {
      const response = await this.o.fetch(item.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Leadlight-Webhooks/1',
          'leadlight-signature': signWebhook(hook.secret, item.payload, now()),
          'leadlight-event': item.eventType,
          'leadlight-delivery': item.id,
        },
        body: item.payload,
        signal: AbortSignal.timeout(retry.timeoutMs),
        redirect: 'manual',
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        await storage.completeWebhook(item.id, now());
        return;
      }
      failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = (error as Error).message || 'delivery failed';
    }
    const attempts = item.attempts + 1;
    if (attempts >= retry.maxAttempts) {
      await storage.failWebhook(item.id, failure);
      this.o.onError?.(
        `webhook ${item.eventType} to ${item.url} gave up after ${attempts} attempts: ${failure}`,
      );
      return;
    }
    // Full backoff with jitter in [50 %, 100 %] so many failing hooks do not retry in lockstep.
    const delay = Math.min(retry.maxMs, retry.baseMs * 2 ** item.attempts);
    const jitter = 0.5 + 0.5 * (this.o.random ?? Math.random)();
    await storage.retryWebhook(item.id, now() + Math.round(delay * jitter), failure);
  }
}
