import type { NegativeCutoff } from '@leadlight/scoring-core/wire';
import type { FeatureLayout } from './reviewFeatures.js';

const DAY_MS = 86_400_000;

/**
 * A contact's delay draw in [0, 1): FNV-1a of its id through a murmur3 finalizer, so it does not follow
 * the 70/30 split (`splitFraction`, the plain FNV-1a of the id).
 */
export function delayFraction(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= 0x9e3779b9;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

/** The `q` quantile (nearest rank) of ascending values. */
function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** What `judgeNegativesLater` works on: one entry per reviewed contact. */
export interface CutoffInput {
  layout: FeatureLayout;
  ids: readonly string[];
  labels: Uint8Array;
  /** Each contact's cutoff: when it reached the outcome, else the review's time (`now`); moved in place. */
  cutoffs: Float64Array;
  /** The time of each contact's newest event before its cutoff; 0 for none. */
  lastEvents: Float64Array;
  /** The columns at `cutoffs` (n rows of `layout.ids.length`); engagement columns are moved in place. */
  columns: Float64Array;
  now: number;
}

/**
 * Moves the cutoff of every contact without the outcome from `now` to its last event plus a delay drawn
 * (by `delayFraction` of its id) from the delays of the contacts that reached it, when that is earlier,
 * and its engagement columns with it. Scored at `now`, a contact that did not convert has had weeks for
 * its engagement to decay while a converting one had hours: any engagement would look predictive.
 *
 * The new cutoff comes after the contact's last event (every delay is positive), so the same events
 * count and only the decay changes: the columns at `now` times 2^((now − cutoff) / half-life), as
 * `reviewFeatures` decays a state's sums to its cutoff. Fit columns do not depend on time. Answers
 * null, moving nothing, when no contact reached the outcome after an event.
 */
export function judgeNegativesLater(input: CutoffInput): NegativeCutoff | null {
  const { layout, ids, labels, cutoffs, lastEvents, columns, now } = input;
  const n = labels.length;
  let m = 0;
  for (let i = 0; i < n; i++) if (labels[i] && (lastEvents[i] as number) > 0) m++;
  if (m === 0) return null;
  const delays = new Float64Array(m);
  m = 0;
  for (let i = 0; i < n; i++)
    if (labels[i] && (lastEvents[i] as number) > 0)
      delays[m++] = (cutoffs[i] as number) - (lastEvents[i] as number);
  delays.sort();

  const d = layout.ids.length;
  const rules = layout.unit.rules.length;
  const halfLifeMs = (layout.unit.halfLifeDays ?? 0) * DAY_MS;
  let judgedEarlier = 0;
  for (let i = 0; i < n; i++) {
    const last = lastEvents[i] as number;
    if (labels[i] || last <= 0) continue;
    const cutoff = last + quantile(delays, delayFraction(ids[i] as string));
    if (!(cutoff < now)) continue;
    cutoffs[i] = cutoff;
    judgedEarlier++;
    if (halfLifeMs === 0) continue;
    const grow = Math.exp(((now - cutoff) / halfLifeMs) * Math.LN2);
    for (let j = 0; j < rules; j++) columns[i * d + j] = (columns[i * d + j] as number) * grow;
  }
  return {
    delays: delays.length,
    p10DelayMs: quantile(delays, 0.1),
    medianDelayMs: quantile(delays, 0.5),
    p90DelayMs: quantile(delays, 0.9),
    judgedEarlier,
  };
}
