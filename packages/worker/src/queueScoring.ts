// What the queue scores with. The service worker always scores on the device; the in-page queue starts with
// the collector's snapshots only and loads the scoring chunk (leadlight-scoring.js) once the page wants live
// scores, so a page that shows no score never downloads scoring-core.
import { type TrackedEvent, validateEvent } from '@leadlight/scoring-core';
import { createProvisionalScore, type ProvisionalScore, type ScoreSnapshot } from './provisionalScore.js';

/** The provisional score's maker and the check every event passes before it is queued. */
export interface QueueScoring {
  /** True when it folds events on the device. */
  device: boolean;
  createProvisionalScore(): ProvisionalScore;
  validateEvent(input: unknown): { ok: true; event: TrackedEvent } | { ok: false; error: string };
}

/** Scoring on the device with scoring-core: the collector's snapshot plus the events it has not acknowledged. */
export const deviceScoring: QueueScoring = { device: true, createProvisionalScore, validateEvent };

/** The collector's last snapshot of the current visitor, no folding: what an in-page queue shows until it scores. */
export function createSnapshotScore(): ProvisionalScore {
  let anon: string | undefined;
  let base: ScoreSnapshot | undefined;
  return {
    setModel() {},
    setSnapshot(snapshot) {
      anon ??= snapshot.anonymousId;
      if (snapshot.anonymousId === anon) base = snapshot;
    },
    add(event) {
      if (anon !== event.anonymousId && base?.anonymousId !== event.anonymousId) base = undefined;
      anon = event.anonymousId;
      return false;
    },
    acknowledge(_, snapshot) {
      if (snapshot?.anonymousId === anon) base = snapshot;
    },
    result: () => base?.score,
    anonymousId: () => anon,
    needsSnapshot: () => anon !== undefined && !base,
    snapshot: () => base,
    state: () => undefined,
    reset() {
      anon = base = undefined;
    },
  };
}

/** Events are checked for their shape only (the collector validates them in full): no scoring-core needed. */
export const snapshotScoring: QueueScoring = {
  device: false,
  createProvisionalScore: createSnapshotScore,
  validateEvent: (input) => {
    const e = input as TrackedEvent | null;
    return e && typeof e.id === 'string' && typeof e.type === 'string' && typeof e.anonymousId === 'string'
      ? { ok: true, event: e }
      : { ok: false, error: 'expected an event with id, type and anonymousId' };
  },
};
