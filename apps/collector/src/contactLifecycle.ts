import { randomUUID } from 'node:crypto';
import {
  createState,
  foldEvents,
  mergeStates,
  resultOf,
  type ScoreResult,
  STAGES,
  type Stage,
  stageRank,
  type TrackedEvent,
  tryFoldEvent,
} from '@leadlight/scoring-core';
import type { LiveEvent } from '@leadlight/scoring-core/wire';
import { enqueueWebhooks } from './enqueueWebhooks.js';
import { firstTouchChannel } from './firstTouchChannel.js';
import type { RunningSite } from './siteRegistry.js';
import type { ContactRecord, StageChange, StorageTx } from './storage/storage.js';

/** What a transaction changed that the outside world hears about once it commits. */
export interface Effects {
  live: LiveEvent[];
  /** Webhook deliveries enqueued in the outbox. */
  webhooks: number;
}

/** Fresh effects. */
export function createEffects(): Effects {
  return { live: [], webhooks: 0 };
}

/** A new, anonymous contact for a site, first seen with `first`. */
export function newContact(site: RunningSite, first: TrackedEvent, now: number): ContactRecord {
  const state = createState(site.model);
  return {
    id: randomUUID(),
    siteKey: site.config.siteKey,
    stage: 'visitor',
    email: null,
    state,
    score: resultOf(site.model, state, { now }),
    eventCount: 0,
    createdAt: now,
    updatedAt: now,
    firstSeenAt: first.ts,
    lastSeenAt: first.ts,
    mqlAt: null,
    mqlArmed: true,
    revenue: null,
    channel: firstTouchChannel(first),
    reached: { visitor: now },
    accountId: null,
  };
}

/** The score a contact has at `now` (engagement decays with time). */
export function currentScore(site: RunningSite, contact: ContactRecord, now: number): ScoreResult {
  // A state folded under an older model cannot be read with the new one: answer the stored score until
  // the contact is rescored (on its next event, or by the rescore that follows a model change).
  if (contact.state.modelHash !== site.modelHash) return { ...contact.score, stage: contact.stage };
  const result = resultOf(site.model, contact.state, { now, stage: contact.stage });
  // A recycled lead stays a lead until it newly earns MQL (see scoreContact).
  if (contact.stage === 'lead' && result.stage === 'mql' && !contact.mqlArmed) result.stage = 'lead';
  return result;
}

/** The contact as it is sent in webhooks. */
function contactSummary(contact: ContactRecord) {
  return {
    id: contact.id,
    stage: contact.stage,
    email: contact.email,
    traits: contact.state.traits,
    score: {
      total: contact.score.total,
      fit: contact.score.fit,
      engagement: contact.score.engagement,
      modelVersion: contact.score.modelVersion,
    },
    mqlAt: contact.mqlAt,
    revenue: contact.revenue,
    channel: contact.channel,
    accountId: contact.accountId,
  };
}

/**
 * Moves a contact to a stage: records the change in its history, the first time each stage (and every
 * stage below it) was reached, and queues `lead.stage_changed` (and `lead.mql` on the first crossing).
 */
export async function moveStage(
  tx: StorageTx,
  site: RunningSite,
  contact: ContactRecord,
  to: Stage,
  how: { at: number; by: string; reason?: string; revenue?: number },
  effects: Effects,
): Promise<void> {
  const change: StageChange = { from: contact.stage, to, at: how.at, by: how.by };
  if (how.reason !== undefined) change.reason = how.reason;
  if (how.revenue !== undefined) change.revenue = how.revenue;
  contact.stage = to;
  const rank = stageRank(to);
  for (const stage of STAGES)
    if (stageRank(stage) <= rank && contact.reached[stage] === undefined) contact.reached[stage] = how.at;
  const firstMql = to === 'mql' && contact.mqlAt === null;
  if (firstMql) contact.mqlAt = how.at;
  if (to === 'customer' && how.revenue !== undefined) contact.revenue = how.revenue;
  if (to === 'lead' && how.by !== 'system') contact.mqlArmed = false;
  await tx.appendStageChange(contact.id, change);
  effects.live.push({
    type: 'stage',
    data: { contactId: contact.id, from: change.from, to, at: how.at, by: how.by },
  });
  const data = { contact: contactSummary(contact), change };
  if (firstMql) await enqueueWebhooks(tx, site, 'lead.mql', data, change.at, effects);
  await enqueueWebhooks(tx, site, 'lead.stage_changed', data, change.at, effects);
}

/**
 * Folds a contact's new events into its persisted state, in any order — or recomputes from every stored
 * event when the model changed, the caller asks, or the state cannot place a late event — then applies
 * automatic stage moves (visitor → lead on identify, lead → mql on crossing the thresholds) and saves it.
 */
export async function scoreContact(
  tx: StorageTx,
  site: RunningSite,
  contact: ContactRecord,
  fresh: TrackedEvent[],
  options: { now: number; recompute: boolean },
  effects: Effects,
): Promise<void> {
  const { model } = site;
  let recompute = options.recompute || contact.state.modelHash !== site.modelHash;
  for (let i = 0; i < fresh.length && !recompute; i++) {
    recompute = !tryFoldEvent(model, contact.state, fresh[i] as TrackedEvent);
  }
  if (recompute) contact.state = foldEvents(model, createState(model), await tx.contactEvents(contact.id));
  for (const event of fresh) {
    if (event.ts < contact.firstSeenAt) {
      contact.firstSeenAt = event.ts;
      contact.channel = firstTouchChannel(event);
    }
    if (event.ts > contact.lastSeenAt) contact.lastSeenAt = event.ts;
  }
  contact.eventCount = contact.state.events;

  const result = resultOf(model, contact.state, { now: options.now, stage: contact.stage });
  if (!result.mql) contact.mqlArmed = true;
  // Automatic moves happen when the visitor acted (the newest event), not when the queue delivered it:
  // events queued offline or replayed arrive late, and funnel timings must not start at delivery.
  const actedAt = Math.min(options.now, contact.state.last[0] || options.now);
  if (contact.stage === 'visitor' && contact.state.identified) {
    await moveStage(tx, site, contact, 'lead', { at: actedAt, by: 'system' }, effects);
  }
  if (contact.stage === 'lead' && result.mql && contact.mqlArmed) {
    await moveStage(tx, site, contact, 'mql', { at: actedAt, by: 'system' }, effects);
  }
  result.stage = contact.stage;
  const changed = result.total !== contact.score.total || result.modelHash !== contact.score.modelHash;
  contact.score = result;
  contact.updatedAt = options.now;
  await tx.saveContact(contact);
  if (changed || fresh.length > 0) {
    effects.live.push({
      type: 'score',
      data: {
        contactId: contact.id,
        total: result.total,
        fit: result.fit,
        engagement: result.engagement,
        stage: contact.stage,
        at: options.now,
      },
    });
  }
}

/**
 * Folds `from` into `into` (the contact that already owns the email): ids, events, history, stages and
 * the score state. False when the states could not be merged without the events: rescore `into` then.
 */
export async function mergeContacts(
  tx: StorageTx,
  site: RunningSite,
  from: ContactRecord,
  into: ContactRecord,
): Promise<boolean> {
  await tx.mergeContact(from.id, into.id);
  if (stageRank(from.stage) > stageRank(into.stage)) into.stage = from.stage;
  for (const stage of STAGES) {
    const a = into.reached[stage];
    const b = from.reached[stage];
    if (b !== undefined && (a === undefined || b < a)) into.reached[stage] = b;
  }
  if (from.mqlAt !== null && (into.mqlAt === null || from.mqlAt < into.mqlAt)) into.mqlAt = from.mqlAt;
  into.revenue ??= from.revenue;
  if (from.firstSeenAt < into.firstSeenAt) {
    into.firstSeenAt = from.firstSeenAt;
    into.channel = from.channel;
  }
  into.lastSeenAt = Math.max(into.lastSeenAt, from.lastSeenAt);
  into.createdAt = Math.min(into.createdAt, from.createdAt);
  into.mqlArmed = into.mqlArmed && from.mqlArmed;
  const current = (c: ContactRecord) => c.state.modelHash === site.modelHash;
  const merged = current(from) && current(into) ? mergeStates(site.model, into.state, from.state) : null;
  if (merged === null) return false;
  into.state = merged;
  into.eventCount = merged.events;
  return true;
}
