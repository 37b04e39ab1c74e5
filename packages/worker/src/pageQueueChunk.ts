// The in-page queue chunk (dist/leadlight-page-queue.<hash>.js): the queue engine, IndexedDB and scoring, loaded
// by the queue chunk only where no service worker runs (a service worker holds all of this itself).

import type { PageQueueChunk } from './connectBackend.js';
import { createPageQueue } from './pageQueue.js';

(globalThis as unknown as { LeadlightPageQueue: PageQueueChunk }).LeadlightPageQueue = { createPageQueue };
