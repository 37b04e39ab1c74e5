import { type TrackedEvent, validateModel } from '@leadlight/scoring-core';
import { describe, expect, it } from 'vitest';
import { delayFraction, judgeNegativesLater } from './negativeCutoff.js';
import { featureLayout, writeFeatures } from './reviewFeatures.js';
import { splitFraction } from './suggestModel.js';

const checked = validateModel({
  version: 'cutoff-1',
  halfLifeDays: 10,
  rules: [
    { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
    { id: 'pdf', event: 'download', match: { ext: ['pdf'] }, points: 4.5 },
  ],
  fit: [{ id: 'buyer', trait: 'role', in: ['vp', 'director'], points: 10 }],
  mql: { total: 40 },
});
if (!checked.ok) throw new Error('test model does not validate');
const LAYOUT = featureLayout(checked.model);
const D = LAYOUT.ids.length;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 5, 1);

/** Views of /pricing and a pdf ending `daysAgo` before NOW, and a vp identify. */
function events(id: string, daysAgo: number, views: number): TrackedEvent[] {
  const last = NOW - daysAgo * DAY;
  return [
    { id: `${id}-0`, type: 'identify', ts: last - 5 * HOUR, anonymousId: id, traits: { role: 'vp' } },
    ...Array.from({ length: views }, (_, k) => ({
      id: `${id}-${k + 1}`,
      type: 'page_view',
      ts: last - (4 - k) * HOUR,
      anonymousId: id,
      path: '/pricing',
    })),
    { id: `${id}-9`, type: 'download', ts: last, anonymousId: id, props: { ext: 'pdf' } },
  ];
}

interface Contact {
  id: string;
  events: TrackedEvent[];
  reachedAt?: number;
}

/** The review's inputs for `contacts`, with columns at each one's first cutoff (outcome, else NOW). */
function inputs(contacts: Contact[]) {
  const n = contacts.length;
  const columns = new Float64Array(n * D);
  const cutoffs = Float64Array.from(contacts, (c) => c.reachedAt ?? NOW);
  const lastEvents = Float64Array.from(contacts, (c, i) =>
    Math.max(0, ...c.events.filter((e) => e.ts < (cutoffs[i] as number)).map((e) => e.ts)),
  );
  contacts.forEach((c, i) => {
    writeFeatures(LAYOUT, c.events, cutoffs[i] as number, columns, i * D);
  });
  const labels = Uint8Array.from(contacts, (c) => (c.reachedAt !== undefined ? 1 : 0));
  return { layout: LAYOUT, ids: contacts.map((c) => c.id), labels, cutoffs, lastEvents, columns, now: NOW };
}

describe('judgeNegativesLater', () => {
  const contacts: Contact[] = [
    // Positives: taken 2, 6 and 30 hours after their last event.
    { id: 'p1', events: events('p1', 20, 2), reachedAt: NOW - 20 * DAY + 2 * HOUR },
    { id: 'p2', events: events('p2', 9, 3), reachedAt: NOW - 9 * DAY + 6 * HOUR },
    { id: 'p3', events: events('p3', 4, 1), reachedAt: NOW - 4 * DAY + 30 * HOUR },
    // Negatives: weeks stale, one seen an hour ago, one without events.
    ...[3, 12, 25, 40, 60].map((days, k) => ({ id: `n${k}`, events: events(`n${k}`, days, k % 4) })),
    { id: 'recent', events: events('recent', 1 / 24, 2) },
    { id: 'silent', events: [] },
  ];

  it('moves each negative to its last event plus a positive delay, with the columns it has there', () => {
    const input = inputs(contacts);
    const summary = judgeNegativesLater(input);
    expect(summary).toEqual({
      delays: 3,
      p10DelayMs: 2 * HOUR,
      medianDelayMs: 6 * HOUR,
      p90DelayMs: 30 * HOUR,
      judgedEarlier: 5,
    });
    contacts.forEach((c, i) => {
      const cutoff = input.cutoffs[i] as number;
      if (c.reachedAt !== undefined) expect(cutoff).toBe(c.reachedAt);
      else if (c.id === 'recent' || c.id === 'silent') expect(cutoff).toBe(NOW);
      else {
        const delay = cutoff - (input.lastEvents[i] as number);
        expect([2 * HOUR, 6 * HOUR, 30 * HOUR]).toContain(delay);
      }
      // Exactly the columns of a fold of the events before the new cutoff, decayed to it.
      const expected = new Float64Array(D);
      writeFeatures(LAYOUT, c.events, cutoff, expected, 0);
      for (let j = 0; j < D; j++) expect(input.columns[i * D + j]).toBeCloseTo(expected[j] as number, 10);
    });
  });

  it('moves nothing without a positive that had an event before its outcome', () => {
    const input = inputs([
      { id: 'p', events: [], reachedAt: NOW - DAY },
      { id: 'n', events: events('n', 30, 2) },
    ]);
    const before = Float64Array.from(input.columns);
    expect(judgeNegativesLater(input)).toBeNull();
    expect(input.columns).toEqual(before);
    expect([...input.cutoffs]).toEqual([NOW - DAY, NOW]);
  });

  it("draws each contact's delay independently of the 70/30 split", () => {
    let low = 0;
    let lowTrain = 0;
    let train = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const id = `contact-${i.toString(36)}`;
      const inTrain = splitFraction(id) < 0.7;
      if (inTrain) train++;
      if (delayFraction(id) < 0.5) {
        low++;
        if (inTrain) lowTrain++;
      }
    }
    expect(low / n).toBeCloseTo(0.5, 1);
    expect(lowTrain / low).toBeCloseTo(train / n, 1);
  });
});
