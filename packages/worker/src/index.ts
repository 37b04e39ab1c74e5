export { connectCheckedQueue, connectQueue } from './connectQueue.js';
export { DEFAULT_LIMITS } from './flushPolicy.js';
export { loadChunk, loadScript } from './loadScript.js';
export type {
  FlushResult,
  InspectableQueueClient,
  QueueClient,
  QueueLimits,
  QueueOptions,
  QueueStats,
} from './protocol.js';
export { type CheckedQueueOptions, isHttpUrl } from './queueSession.js';
export { createUuidV7 } from './uuidV7.js';
export { WorkerError } from './workerError.js';
