// The lazily loaded chunk (dist/leadlight-queue.js): the SDK's script tag stays small; this file brings
// comlink and the service-worker connection, or the whole queue when it must run in the page.
import type { QueueChunk } from './connectQueue.js';
import { connectBackend } from './queueConnector.js';

(globalThis as unknown as { LeadlightQueue: QueueChunk }).LeadlightQueue = { connect: connectBackend };
