// dist/leadlight-queue.js, kept for script tags cached before the queue session moved into them: such a
// leadlight.js loads this chunk and calls `open` (or, older still, `connect`). New scripts never load it.
import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import { connectBackend } from './connectBackend.js';
import { openQueue } from './openQueue.js';
import type { InspectableQueueClient, QueueBackend, QueueConfig, QueueOptions } from './protocol.js';

/** What this chunk puts on `globalThis.LeadlightQueue` for those older scripts. */
export interface QueueChunk {
  /** Checks the options (throws WorkerError `invalid_options`) and opens the queue; `early` was written ahead. */
  open(options: QueueOptions, early: TrackedEvent[]): InspectableQueueClient;
  /** The backend alone, for clients built before `open` existed. */
  connect(
    config: QueueConfig,
    sw: QueueOptions['serviceWorker'],
    deliver: (score: ScoreResult) => void,
  ): Promise<QueueBackend>;
}

(globalThis as unknown as { LeadlightQueue: QueueChunk }).LeadlightQueue = {
  open: openQueue,
  connect: connectBackend,
};
