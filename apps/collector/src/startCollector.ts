import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { hashModel } from '@leadlight/scoring-core';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AppContext } from './appContext.js';
import { createCollectorApp } from './collectorApp.js';
import { CollectorError } from './collectorError.js';
import { LiveHub } from './liveHub.js';
import type { RetentionReport } from './privacy/applyRetention.js';
import { type RetentionOptions, RetentionScheduler } from './privacy/retentionScheduler.js';
import { RateLimiter } from './rateLimiter.js';
import { SiteRegistry } from './siteRegistry.js';
import { StaticFiles } from './staticFiles.js';
import { openStorage } from './storage/openStorage.js';
import type { Storage } from './storage/storage.js';
import { type CollectorConfig, validateConfig } from './validateConfig.js';
import { DEFAULT_RETRY, WebhookDispatcher, type WebhookRetryPolicy } from './webhookDispatcher.js';

/** Options of `startCollector`. */
export interface StartCollectorOptions {
  /** The configuration object of DESIGN.md §6 (validated here). */
  config: unknown;
  /** SQLite file; ignored when `databaseUrl` or `storage` is given. */
  dbPath?: string;
  /** PostgreSQL URL. */
  databaseUrl?: string;
  /** Ready storage (tests of other adapters). */
  storage?: Storage;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** A folder served as a static site (folders serve index.html). */
  staticDir?: string;
  /** Behind a reverse proxy: client IP and protocol from its X-Forwarded-For / X-Forwarded-Proto. */
  trustProxy?: boolean;
  /** Folders with the built `leadlight*.js` files; defaults to the dist of @leadlight/sdk and @leadlight/worker. */
  assetDirs?: string[];
  /** Injected clock (ms since epoch). */
  now?: () => number;
  /** Injected HTTP client for webhooks. */
  fetch?: typeof fetch;
  webhookRetry?: Partial<WebhookRetryPolicy>;
  /** The retention timer (sites with `retentionDays`): interval and events per transaction. */
  retention?: RetentionOptions;
  /** Milliseconds between SSE keep-alive comments (default 15 s). */
  heartbeatMs?: number;
  /** fastify/pino logger option; off by default. */
  logger?: boolean | FastifyBaseLogger | Record<string, unknown>;
}

/** A running collector. */
export interface RunningCollector {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  app: FastifyInstance;
  storage: Storage;
  /** Runs a retention pass over every site now (the timer runs them hourly). */
  runRetention(): Promise<RetentionReport[]>;
  /** Stops accepting requests, waits for webhook deliveries in flight, closes storage. */
  close(): Promise<void>;
}

/** The built SDK and worker folders (their `dist`), found through the packages this one depends on. */
function defaultAssetDirs(): string[] {
  const require = createRequire(import.meta.url);
  return ['@leadlight/sdk', '@leadlight/worker'].map((name) =>
    join(dirname(require.resolve(`${name}/package.json`)), 'dist'),
  );
}

/** Turns a config into a validated one, or throws a `bad_config` error listing every problem with its path. */
export function checkConfig(input: unknown): CollectorConfig {
  const checked = validateConfig(input);
  if (!checked.ok) {
    throw new CollectorError(
      'bad_config',
      `invalid config:\n${checked.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`,
    );
  }
  return checked.config;
}

/** Starts a collector: validates the config, opens storage, publishes models, listens, starts the webhook outbox. */
export async function startCollector(options: StartCollectorOptions): Promise<RunningCollector> {
  const config = checkConfig(options.config);
  const now = options.now ?? Date.now;
  const storage =
    options.storage ??
    (await openStorage(
      options.databaseUrl
        ? { databaseUrl: options.databaseUrl }
        : { dbPath: options.dbPath ?? './data/leadlight.db' },
    ));
  try {
    const sites = new SiteRegistry(config);
    // A config model that changed since the last start wins; otherwise the latest published one does.
    for (const site of sites.all()) {
      const key = site.config.siteKey;
      const configHash = hashModel(site.config.model);
      if ((await storage.lastConfigModelHash(key)) !== configHash) {
        await storage.saveModel(key, {
          model: site.config.model,
          hash: configHash,
          source: 'config',
          createdAt: now(),
        });
      } else {
        const latest = await storage.latestModel(key);
        if (latest) {
          site.model = latest.model;
          site.modelHash = latest.hash;
        }
      }
    }
    // Several collectors on one database: a model published through any of them is used by all.
    const modelReads = new Map<string, number>();
    storage.onModelPublished?.((siteKey) => {
      const site = sites.bySiteKey(siteKey);
      if (!site) return;
      // Only the newest read applies, so two quick publishes never end on the older model.
      const read = (modelReads.get(siteKey) ?? 0) + 1;
      modelReads.set(siteKey, read);
      storage.latestModel(siteKey).then(
        (latest) => {
          if (modelReads.get(siteKey) === read && latest && latest.hash !== site.modelHash) {
            site.model = latest.model;
            site.modelHash = latest.hash;
          }
        },
        () => undefined,
      );
    });
    const webhooks = new WebhookDispatcher({
      storage,
      sites,
      now,
      fetch: options.fetch ?? fetch,
      retry: { ...DEFAULT_RETRY, ...options.webhookRetry },
    });
    const ctx: AppContext = {
      storage,
      sites,
      now,
      hub: new LiveHub(storage.liveRelay),
      limiter: new RateLimiter(now),
      failedKeys: new RateLimiter(now),
      webhooks,
      files: new StaticFiles(),
      assetDirs: (options.assetDirs ?? defaultAssetDirs()).map((d) => resolve(d)),
      staticDir: options.staticDir === undefined ? undefined : resolve(options.staticDir),
      heartbeatMs: options.heartbeatMs ?? 15_000,
    };
    const app = createCollectorApp(ctx, {
      logger: options.logger ?? false,
      trustProxy: options.trustProxy ?? false,
    });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ port: options.port ?? 0, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
    webhooks.start();
    const retention = new RetentionScheduler({ ...ctx }, options.retention, (error) =>
      app.log.error({ err: error }, 'retention pass failed'),
    );
    retention.start();
    const urlHost =
      host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${urlHost}:${port}`,
      port,
      app,
      storage,
      runRetention: () => retention.runNow(),
      close() {
        closing ??= (async () => {
          await app.close();
          await retention.stop();
          await webhooks.stop();
          await storage.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
