export { CollectorError } from './collectorError.js';
export { computeFunnel } from './computeFunnel.js';
export type { ConfigProblem } from './config/configProblem.js';
export type { RateLimitConfig } from './config/validateRateLimit.js';
export type { SiteConfig } from './config/validateSite.js';
export type { WebhookConfig, WebhookEventType } from './config/validateWebhooks.js';
export { firstTouchChannel } from './firstTouchChannel.js';
export { isBotUserAgent } from './isBotUserAgent.js';
export { loadConfig } from './loadConfig.js';
export { type CliOptions, parseCliArgs } from './parseCliArgs.js';
export type { RetentionReport } from './privacy/applyRetention.js';
export type { RetentionOptions } from './privacy/retentionScheduler.js';
export { SIGNATURE_HEADER, signWebhook, verifyWebhook } from './signWebhook.js';
export {
  checkConfig,
  type RunningCollector,
  type StartCollectorOptions,
  startCollector,
} from './startCollector.js';
export {
  openStorage,
  type PostgresOpener,
  registerPostgresOpener,
  type StorageLocation,
} from './storage/openStorage.js';
export { openSqliteStorage } from './storage/sqliteStorage.js';
export type {
  AuditEntry,
  AuditRecord,
  ContactCursor,
  ContactQuery,
  ContactRecord,
  ContactSortKey,
  ErasedContact,
  ErasedDevice,
  ErasureCounts,
  EventCursor,
  EventFlags,
  EventRecord,
  ListedContact,
  ModelRecord,
  OutboxItem,
  OutboxStats,
  RescoreKind,
  StageChange,
  Storage,
  StorageTx,
  StoredEvent,
} from './storage/storage.js';
export { type CollectorConfig, validateConfig } from './validateConfig.js';
