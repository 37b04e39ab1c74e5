// The collector's HTTP and live-stream protocol, as types only: the collector answers with these shapes,
// the worker, the dashboard and the tests read them. Nothing here reaches a bundle.
export type * from './wire/ingest.js';
export type * from './wire/leads.js';
export type * from './wire/live.js';
export type * from './wire/review.js';
