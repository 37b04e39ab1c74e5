import type { BatchAnswer } from '@leadlight/scoring-core/wire';
import type { QueuedEvent } from './flushPolicy.js';
import type { Unchecked } from './unchecked.js';

/**
 * What the collector's answer to a batch settles: the ids it stored (`acked`) and every id that leaves the queue
 * (stored, or rejected by index). Without an `acked` list, every event not rejected counts as stored. A pair, not an
 * object: the bundles' minifier cannot shorten property names.
 */
export function readBatchAnswer(
  batch: QueuedEvent[],
  answer: Unchecked<BatchAnswer>,
): [acked: string[], removed: string[]] {
  const rejectedIndexes = new Set<number>();
  if (Array.isArray(answer.rejected)) {
    for (const entry of answer.rejected as Unchecked<BatchAnswer['rejected'][number]>[]) {
      if (typeof entry?.index === 'number') rejectedIndexes.add(entry.index);
    }
  }
  const ackedSet = Array.isArray(answer.acked)
    ? new Set(answer.acked)
    : new Set(batch.filter((_, i) => !rejectedIndexes.has(i)).map((r) => r.id));
  const acked: string[] = [];
  const removed: string[] = [];
  batch.forEach((r, i) => {
    if (ackedSet.has(r.id)) acked.push(r.id);
    if (ackedSet.has(r.id) || rejectedIndexes.has(i)) removed.push(r.id);
  });
  return [acked, removed];
}
