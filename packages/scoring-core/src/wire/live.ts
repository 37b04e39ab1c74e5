import type { Stage } from '../types.js';

// ——— The live stream (`GET /v1/stream`, server-sent events named by `type`, `data` as JSON) ———

/** A live change pushed to a site's subscribers. */
export type LiveEvent =
  | {
      type: 'score';
      data: { contactId: string; total: number; fit: number; engagement: number; stage: Stage; at: number };
    }
  | { type: 'stage'; data: { contactId: string; from: Stage | null; to: Stage; at: number; by: string } }
  | { type: 'note'; data: { contactId: string; kind: 'note' | 'owner'; at: number; by: string } };

/** The event names the stream sends. */
export type LiveEventType = LiveEvent['type'];
