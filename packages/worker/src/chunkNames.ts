// File names of the worker's lazily loaded chunks. The build versions them: `leadlight-page-queue.js` here becomes
// `leadlight-page-queue.<content hash>.js` in the built code and the built file's name (rollup plugins in
// packages/devtools/src/versionedChunks.mjs), so a cached older script never meets a newer chunk it cannot talk to.

/** The in-page queue: the queue engine, IndexedDB and scoring (pages where no service worker runs). */
export const PAGE_QUEUE_CHUNK = 'leadlight-page-queue.js';
/** Scoring on the device (scoring-core), for an in-page queue once the page wants live scores. */
export const SCORING_CHUNK = 'leadlight-scoring.js';
