import { createState, type ScoreState, type TrackedEvent, tryFoldEvent } from '@leadlight/scoring-core';
import type {
  ChannelFigures,
  ModelReview,
  ReviewOutcome,
  RuleReview,
  Suggestion,
} from '@leadlight/scoring-core/wire';
import type { RunningSite } from '../siteRegistry.js';
import type { Storage } from '../storage/storage.js';
import { addContact, byContacts, cleanCampaign, emptyFigures, finishFigures } from './channelFigures.js';
import { judgeNegativesLater } from './negativeCutoff.js';
import {
  featureLayout,
  scoreColumns,
  stateBefore,
  storedStateFits,
  writeStateFeatures,
  writeStoredFeatures,
} from './reviewFeatures.js';
import { liftOf, rocAuc } from './reviewMath.js';
import { scoreDistribution } from './scoreDistribution.js';
import { missingData, splitFraction, suggestModel, TRAIN_SHARE } from './suggestModel.js';
import { thresholdTradeoff } from './thresholdTradeoff.js';
import type { SpendConfig } from './validateSpend.js';

/** The stages a review can learn from. */
export const REVIEW_OUTCOMES = ['sql', 'opportunity', 'customer'] as const satisfies ReviewOutcome[];

/** Options of `reviewModel`. */
export interface ReviewOptions {
  /** The time of the review. */
  now: number;
  /** Checked between pages; a true answer abandons the review (it throws `ReviewStopped`). */
  shouldStop?: () => boolean;
}

/** Thrown when a review was abandoned (the collector is closing). */
export class ReviewStopped extends Error {}

const CONTACT_PAGE = 250;
const EVENT_PAGE = 1000;

function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function round4(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10_000) / 10_000;
}

/** Every stored event of a contact in canonical order, read in pages. */
async function contactEvents(storage: Storage, contactId: string): Promise<TrackedEvent[]> {
  const events: TrackedEvent[] = [];
  let after: { ts: number; id: string } | undefined;
  for (;;) {
    const page = await storage.listEvents(contactId, { limit: EVENT_PAGE, ...(after ? { after } : {}) });
    for (const record of page) events.push(record.event);
    const last = page.at(-1);
    if (page.length < EVENT_PAGE || !last) return events;
    after = { ts: last.event.ts, id: last.event.id };
  }
}

/** A growable table of `width` numbers per row. */
class Rows {
  data: Float64Array;
  length = 0;
  constructor(private readonly width: number) {
    this.data = new Float64Array(Math.max(1, width) * 1024);
  }
  /** The offset of a new row. */
  push(): number {
    if ((this.length + 1) * this.width > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    return this.length++ * this.width;
  }
  trimmed(): Float64Array {
    return this.data.subarray(0, this.length * this.width);
  }
}

/**
 * Reviews a site's model against an outcome: every identified contact is scored at its cutoff from the
 * events before it — when it reached the outcome, else its last event plus a typical delay to the
 * outcome, or the review's time when sooner (`judgeNegativesLater`) — and the scores, the rules' lifts,
 * the channels and a re-fitted model are compared with who reached the outcome.
 *
 * Reads in pages outside any transaction, giving the event loop a turn between pages. A contact's
 * stored state already is the fold of its events before the cutoff when nothing came at or after it
 * (most contacts): its columns come from the state. The others are folded again from their events,
 * read per contact — or, when they hold a large share of all events, in one pass over the site's
 * events in id order, each folded into its contact's state in whatever order it comes.
 */
export async function reviewModel(
  storage: Storage,
  site: RunningSite,
  outcome: ReviewOutcome,
  options: ReviewOptions,
): Promise<ModelReview> {
  const started = performance.now();
  const { now } = options;
  const stop = () => {
    if (options.shouldStop?.()) throw new ReviewStopped('review stopped');
  };
  // A model published meanwhile does not change this review: it keeps the one it started with.
  const model = site.model;
  const modelHash = site.modelHash;
  const siteKey = site.config.siteKey;
  const spend: SpendConfig | undefined = site.config.spend;
  const layout = featureLayout(model);
  const { unit } = layout;
  const d = layout.ids.length;

  const rows = new Rows(d);
  const ids: string[] = [];
  const cutoffList: number[] = [];
  const labelList: number[] = [];
  /** Each contact's newest event before its cutoff (0: none; filled when it is folded again). */
  const lastList: number[] = [];
  const channels = new Map<string, ChannelFigures>();
  const campaigns = new Map<string, ChannelFigures>();
  /** Contacts whose columns need their events: contact id → row. */
  const refold = new Map<string, number>();
  let refoldEvents = 0;
  let allEvents = 0;
  for (let afterId: string | undefined; ; ) {
    stop();
    const page = await storage.contactOutcomes(siteKey, {
      limit: CONTACT_PAGE,
      ...(afterId ? { afterId } : {}),
    });
    for (const contact of page) {
      const i = ids.length;
      ids.push(contact.id);
      const reachedAt = contact.reached[outcome];
      // Events from the cutoff on never count: the score is the one the contact had when it converted.
      // Contacts without the outcome are read at `now`; their cutoff moves once all delays are known.
      const cutoff = reachedAt ?? now;
      cutoffList.push(cutoff);
      labelList.push(reachedAt !== undefined ? 1 : 0);
      const offset = rows.push();
      allEvents += contact.eventCount;
      if (storedStateFits(model, modelHash, contact.state, cutoff)) {
        writeStoredFeatures(layout, model, contact.state, cutoff, rows.data, offset);
        lastList.push(contact.state.last[0]);
      } else {
        lastList.push(0);
        refold.set(contact.id, i);
        refoldEvents += contact.eventCount;
      }
      const channel = channels.get(contact.channel) ?? emptyFigures();
      channels.set(contact.channel, channel);
      addContact(channel, contact);
      const campaign = cleanCampaign(contact.campaign);
      if (campaign !== null) {
        const figures = campaigns.get(campaign) ?? emptyFigures();
        campaigns.set(campaign, figures);
        addContact(figures, contact);
      }
    }
    if (page.length < CONTACT_PAGE) break;
    afterId = page.at(-1)?.id;
    await yieldTurn();
  }
  const n = ids.length;
  const columns = rows.trimmed();
  const cutoffs = Float64Array.from(cutoffList);
  const labels = Uint8Array.from(labelList);
  const lastEvents = Float64Array.from(lastList);

  // Reading one contact's events walks an index and fetches rows here and there; a pass over the
  // site's events reads them in key order. Per contact wins while the contacts hold under a quarter.
  if (refold.size > 0 && refoldEvents * 4 < allEvents) {
    let done = 0;
    for (const [id, i] of refold) {
      if (done++ % 16 === 0) {
        stop();
        await yieldTurn();
      }
      const state = stateBefore(layout, await contactEvents(storage, id), cutoffs[i] as number);
      writeStateFeatures(layout, state, cutoffs[i] as number, columns, i * d);
      lastEvents[i] = state.last[0];
    }
  } else if (refold.size > 0) {
    const states = new Map<number, ScoreState>();
    const late = new Set<number>();
    for (let afterId: string | undefined; ; ) {
      stop();
      const page = await storage.siteEvents(siteKey, { limit: EVENT_PAGE, ...(afterId ? { afterId } : {}) });
      for (const { contactId, event } of page) {
        const i = refold.get(contactId);
        if (i === undefined || event.ts >= (cutoffs[i] as number) || late.has(i)) continue;
        let state = states.get(i);
        if (state === undefined) {
          state = createState(unit);
          states.set(i, state);
        }
        // A late event the state cannot place (more than a capped rule's tail remembers): read its contact.
        if (!tryFoldEvent(unit, state, event)) late.add(i);
      }
      if (page.length < EVENT_PAGE) break;
      afterId = page.at(-1)?.event.id;
      await yieldTurn();
    }
    for (const i of late) {
      stop();
      states.set(
        i,
        stateBefore(layout, await contactEvents(storage, ids[i] as string), cutoffs[i] as number),
      );
    }
    const empty = createState(unit);
    for (const i of refold.values()) {
      const state = states.get(i) ?? empty;
      writeStateFeatures(layout, state, cutoffs[i] as number, columns, i * d);
      lastEvents[i] = state.last[0];
    }
  }
  // Every figure below reads the columns at the final cutoffs.
  const negativeCutoff = judgeNegativesLater({ layout, ids, labels, cutoffs, lastEvents, columns, now });
  const train = new Uint8Array(n);
  for (let i = 0; i < n; i++) train[i] = splitFraction(ids[i] as string) < TRAIN_SHARE ? 1 : 0;

  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] as number;
  const thresholds = model.mql;
  const currentTotals = new Float64Array(n);
  /** Whether a contact meets today's fit and engagement thresholds (the trade-off moves the total alone). */
  const meetsOthers = new Uint8Array(n);
  let mqls = 0;
  let truePositives = 0;
  for (let i = 0; i < n; i++) {
    const score = scoreColumns(layout, layout.points, columns, i * d);
    currentTotals[i] = score.total;
    const others =
      (thresholds.fit === undefined || score.fit >= thresholds.fit) &&
      (thresholds.engagement === undefined || score.engagement >= thresholds.engagement);
    meetsOthers[i] = others ? 1 : 0;
    if (others && (thresholds.total === undefined || score.total >= thresholds.total)) {
      mqls++;
      if (labels[i]) truePositives++;
    }
  }

  // The figures below run in a few synchronous steps; a turn between them keeps each pause short.
  await yieldTurn();
  const rules: RuleReview[] = layout.ids.map((id, j) => {
    let fired = 0;
    let firedPositives = 0;
    for (let i = 0; i < n; i++) {
      if ((columns[i * d + j] as number) <= 0) continue;
      fired++;
      if (labels[i]) firedPositives++;
    }
    const lift = liftOf(firedPositives, fired, positives - firedPositives, n - fired);
    const label = layout.labels[j];
    return {
      id,
      kind: layout.kinds[j] as 'engagement' | 'fit',
      ...(label !== undefined ? { label } : {}),
      points: layout.points[j] as number,
      fired,
      firedPositives,
      rateWith: round4(lift.rateWith),
      rateWithout: round4(lift.rateWithout),
      lift: round4(lift.lift),
      interval: lift.interval ? [round4(lift.interval[0]) ?? 0, round4(lift.interval[1]) ?? 0] : null,
      lowConfidence: lift.lowConfidence,
    };
  });

  const distribution = scoreDistribution(currentTotals, labels);
  const tradeoff = thresholdTradeoff(currentTotals, labels, meetsOthers, [
    ...distribution.buckets.map((b) => b.from),
    ...(thresholds.total !== undefined ? [thresholds.total] : []),
  ]);
  const missing = missingData(positives, n - positives, outcome);
  const currentAuc = round4(rocAuc(currentTotals, labels));
  await yieldTurn();
  let suggestion: Suggestion | null = null;
  let reason: string | undefined = missing ?? undefined;
  if (missing === null) {
    const fitted = suggestModel({
      model,
      layout,
      columns,
      labels,
      train,
      currentTotals,
      currentMqls: mqls,
    });
    if ('reason' in fitted) reason = fitted.reason;
    else suggestion = fitted;
  }

  return {
    outcome,
    computedAt: now,
    durationMs: Math.round(performance.now() - started),
    modelVersion: model.version,
    modelHash,
    contacts: n,
    positives,
    refolded: refold.size,
    negativeCutoff,
    current: {
      auc: currentAuc,
      mqls,
      precision: round4(mqls === 0 ? null : truePositives / mqls),
      recall: round4(positives === 0 ? null : truePositives / positives),
      thresholds: { ...thresholds },
    },
    distribution,
    tradeoff,
    rules,
    channels: [...channels]
      .map(([channel, figures]) => ({ channel, ...finishFigures(figures, spend?.channels[channel]) }))
      .sort(byContacts((row) => row.channel)),
    campaigns: [...campaigns]
      .map(([campaign, figures]) => ({ campaign, ...finishFigures(figures, spend?.campaigns[campaign]) }))
      .sort(byContacts((row) => row.campaign)),
    currency: spend?.currency ?? null,
    suggestion,
    ...(reason !== undefined ? { reason } : {}),
  };
}
