export { connectCheckedQueue, connectQueue } from './connectQueue.js';
export { DEFAULT_LIMITS } from './flushPolicy.js';
export { listenPageHide } from './listenPageHide.js';
export { loadChunk, loadScript } from './loadScript.js';
export { type CheckedQueueOptions, isHttpUrl } from './openQueue.js';
export type {
  FlushResult,
  InspectableQueueClient,
  QueueClient,
  QueueLimits,
  QueueOptions,
  QueueStats,
} from './protocol.js';
export { WorkerError } from './workerError.js';
