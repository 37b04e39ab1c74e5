import type { SiteRegistry } from '../siteRegistry.js';
import { applyRetention, type RetentionContext, type RetentionReport } from './applyRetention.js';

/** How often retention runs by default: hourly (the first pass a minute after start). */
export const DEFAULT_RETENTION_INTERVAL_MS = 3_600_000;

/** Options of the retention timer. */
export interface RetentionOptions {
  /** Milliseconds between passes (default one hour); the first pass runs after min(interval, 60 s). */
  intervalMs?: number;
  /** Events deleted per transaction (default 2000). */
  batchSize?: number;
}

/**
 * Runs `applyRetention` for every site on a timer in the collector process. The clock that decides what
 * is old is the injected `now`; passes never overlap, and `stop` waits for the one in progress.
 */
export class RetentionScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionReport[]> | undefined;
  private started = false;
  private closed = false;

  constructor(
    private readonly ctx: RetentionContext & { sites: SiteRegistry },
    private readonly options: RetentionOptions = {},
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** Starts the timer. */
  start(): void {
    this.started = true;
    const interval = this.options.intervalMs ?? DEFAULT_RETENTION_INTERVAL_MS;
    this.schedule(Math.min(interval, 60_000));
  }

  /** Runs one pass over every site now (after the pass in progress, if any). */
  runNow(): Promise<RetentionReport[]> {
    const previous = this.running ?? Promise.resolve([]);
    const next = previous.catch(() => []).then(() => this.pass());
    this.running = next;
    next
      .finally(() => {
        if (this.running === next) this.running = undefined;
      })
      .catch(() => undefined);
    return next;
  }

  /** Stops the timer and waits for the pass in progress to end (it stops between transactions). */
  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private schedule(delay: number): void {
    if (!this.started || this.closed) return;
    this.timer = setTimeout(() => {
      this.runNow()
        .catch((error: Error) => this.onError(error))
        .finally(() => this.schedule(this.options.intervalMs ?? DEFAULT_RETENTION_INTERVAL_MS));
    }, delay);
    this.timer.unref();
  }

  private async pass(): Promise<RetentionReport[]> {
    const reports: RetentionReport[] = [];
    for (const site of this.ctx.sites.all()) {
      if (this.closed) break;
      reports.push(
        await applyRetention(this.ctx, site, {
          ...(this.options.batchSize === undefined ? {} : { batchSize: this.options.batchSize }),
          shouldStop: () => this.closed,
        }),
      );
    }
    return reports;
  }
}
