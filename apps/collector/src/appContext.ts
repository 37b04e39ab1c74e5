import type { LiveHub } from './liveHub.js';
import type { RateLimiter } from './rateLimiter.js';
import type { SiteRegistry } from './siteRegistry.js';
import type { StaticFiles } from './staticFiles.js';
import type { Storage } from './storage/storage.js';
import type { WebhookDispatcher } from './webhookDispatcher.js';

/** What every route handler works with. */
export interface AppContext {
  storage: Storage;
  sites: SiteRegistry;
  now: () => number;
  hub: LiveHub;
  limiter: RateLimiter;
  /** Wrong secret keys per client IP (`findSecretKeySite`). */
  failedKeys: RateLimiter;
  webhooks: WebhookDispatcher;
  files: StaticFiles;
  /** Folders holding the built `leadlight*.js` files (SDK and worker). */
  assetDirs: string[];
  staticDir: string | undefined;
  /** Milliseconds between SSE keep-alive comments. */
  heartbeatMs: number;
}
