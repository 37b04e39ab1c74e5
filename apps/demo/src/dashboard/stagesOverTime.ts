import type { ContactView } from '@leadlight/scoring-core/wire';

/** How the time chart groups days. */
export type TimeUnit = 'day' | 'week';

/** The stages the time chart counts, in funnel order. */
export const TIMED_STAGES = ['mql', 'sql', 'customer'] as const;

/** One bucket of the time chart: contacts that first reached each stage within it. */
export interface StageBucket {
  /** Local midnight that starts the bucket (a Monday for weeks). */
  start: number;
  mql: number;
  sql: number;
  customer: number;
}

const DAY = 86_400_000;

/** Local midnight of the day `ts` falls in (or of that week's Monday). */
export function bucketStart(ts: number, unit: TimeUnit): number {
  const d = new Date(ts);
  d.setHours(0, 0, 0, 0);
  if (unit === 'week') d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return d.getTime();
}

function nextBucket(start: number, unit: TimeUnit): number {
  const d = new Date(start);
  d.setDate(d.getDate() + (unit === 'week' ? 7 : 1));
  return d.getTime();
}

/**
 * Counts, per day or week of [from, to), the contacts that first reached MQL, SQL and customer then (a
 * contact moved straight to customer counts as reaching SQL too, as the funnel does). Every bucket of the
 * range is present, empty ones included, so gaps show as gaps.
 */
export function stagesOverTime(
  contacts: Pick<ContactView, 'reached' | 'mqlAt'>[],
  range: { from: number; to: number },
  unit: TimeUnit,
): StageBucket[] {
  const buckets: StageBucket[] = [];
  const index = new Map<number, StageBucket>();
  // Calendar steps, not fixed 24 h: a day is 23 or 25 h when the clocks change.
  for (let start = bucketStart(range.from, unit); start < range.to; start = nextBucket(start, unit)) {
    const bucket = { start, mql: 0, sql: 0, customer: 0 };
    buckets.push(bucket);
    index.set(start, bucket);
    if (buckets.length > 400) break;
  }
  for (const contact of contacts) {
    const { reached } = contact;
    for (const stage of TIMED_STAGES) {
      const at =
        stage === 'mql'
          ? (contact.mqlAt ?? reached.mql)
          : stage === 'sql'
            ? (reached.sql ?? reached.opportunity ?? reached.customer)
            : reached.customer;
      if (at === undefined || at === null || at < range.from || at >= range.to) continue;
      const bucket = index.get(bucketStart(at, unit));
      if (bucket) bucket[stage] += 1;
    }
  }
  return buckets;
}

/** The unit that keeps a range readable: days up to ten weeks, weeks beyond. */
export function suggestedUnit(range: { from: number; to: number }): TimeUnit {
  return range.to - range.from > 70 * DAY ? 'week' : 'day';
}
