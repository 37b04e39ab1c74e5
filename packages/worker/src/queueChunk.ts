// The lazily loaded chunk (dist/leadlight-queue.js): the SDK's script tag stays small; this file brings the
// page's side of the queue (option checks, hand-over pump, write-ahead replay, lifecycle listeners, score
// cache), comlink and the service-worker connection, or the whole queue when it must run in the page.
import type { QueueChunk } from './connectQueue.js';
import { connectBackend } from './queueConnector.js';
import { openQueue } from './queueSession.js';

(globalThis as unknown as { LeadlightQueue: QueueChunk }).LeadlightQueue = {
  open: openQueue,
  connect: connectBackend,
};
