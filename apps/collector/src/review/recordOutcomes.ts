import { isObject, STAGES, type Stage, stageRank } from '@leadlight/scoring-core';
import type { OutcomeResult } from '@leadlight/scoring-core/wire';
import type { AppContext } from '../appContext.js';
import { CollectorError } from '../collectorError.js';
import { createEffects, currentScore, moveStage } from '../contactLifecycle.js';
import type { RunningSite } from '../siteRegistry.js';

/** Most items one `POST /v1/outcomes` takes. */
export const MAX_OUTCOMES = 1000;
/** The stages sales may set (as on `POST /v1/leads/:id/stage`); `lead` recycles. */
const SALES_STAGES = new Set<Stage>(['sql', 'opportunity', 'customer', 'lead']);
/** Dates before this are refused (as event timestamps are clamped). */
const EARLIEST = Date.UTC(2015, 0, 1);
/** How far ahead of the collector's clock `at` may lie. */
const FUTURE_SLACK_MS = 5 * 60_000;

/** One checked outcome: who, which stage, when. */
interface OutcomeItem {
  index: number;
  person: { email: string } | { userId: string } | { contactId: string };
  stage: Stage;
  at: number;
  revenue?: number;
  reason?: string;
  by?: string;
}

function parseAt(value: unknown, now: number): number | string {
  if (value === undefined) return now;
  let at = Number.NaN;
  if (typeof value === 'number') at = value;
  else if (typeof value === 'string') at = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(at)) return `at: expected ms since epoch or an ISO date, got ${JSON.stringify(value)}`;
  if (at < EARLIEST) return 'at: before 2015-01-01';
  if (at > now + FUTURE_SLACK_MS) return 'at: in the future';
  return Math.round(at);
}

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' || trimmed.length > max ? null : trimmed;
}

/** Checks one item; answers the reason when it is unusable. */
function checkItem(input: unknown, index: number, now: number): OutcomeItem | string {
  if (!isObject(input)) return 'expected an object {email | userId | contactId, stage, revenue?, at?}';
  const keys = ['email', 'userId', 'contactId'].filter((k) => input[k] !== undefined);
  if (keys.length !== 1) return 'give exactly one of email, userId, contactId';
  const key = keys[0] as 'email' | 'userId' | 'contactId';
  const value = text(input[key], key === 'email' ? 320 : 200);
  if (value === null) return `${key}: expected a non-empty string`;
  const person =
    key === 'email'
      ? { email: value.toLowerCase() }
      : key === 'userId'
        ? { userId: value }
        : { contactId: value };
  const { stage, revenue, reason, by } = input;
  if (typeof stage !== 'string' || !SALES_STAGES.has(stage as Stage)) {
    return `stage: expected "sql", "opportunity", "customer" or "lead" (recycle), got ${JSON.stringify(stage) ?? 'nothing'}`;
  }
  if (revenue !== undefined) {
    if (typeof revenue !== 'number' || !Number.isFinite(revenue) || revenue < 0 || revenue > 1e13)
      return 'revenue: expected a non-negative number';
    if (stage !== 'customer' && stage !== 'opportunity')
      return 'revenue: only with stage "customer" or "opportunity"';
  }
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > 1000))
    return 'reason: expected a string of at most 1000 characters';
  if (by !== undefined && (typeof by !== 'string' || by === '' || by.length > 200))
    return 'by: expected a name of 1 to 200 characters';
  const at = parseAt(input.at, now);
  if (typeof at === 'string') return at;
  return {
    index,
    person,
    stage: stage as Stage,
    at,
    ...(typeof revenue === 'number' ? { revenue } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(typeof by === 'string' ? { by } : {}),
  };
}

/** The items of a `POST /v1/outcomes` body, each checked on its own; a bad envelope is a 400. */
export function parseOutcomes(body: unknown, now: number): (OutcomeItem | OutcomeResult)[] {
  const items = isObject(body) ? body.items : undefined;
  if (!Array.isArray(items) || items.length === 0)
    throw new CollectorError('bad_request', 'items: expected a non-empty list of outcomes');
  if (items.length > MAX_OUTCOMES)
    throw new CollectorError(
      'bad_request',
      `items: at most ${MAX_OUTCOMES} per request, got ${items.length}`,
    );
  return items.map((input, index) => {
    const item = checkItem(input, index, now);
    return typeof item === 'string' ? { index, error: `items[${index}].${item}` } : item;
  });
}

/** The contact an item names by contact id or userId (emails are looked up inside the transaction). */
async function contactIdOf(ctx: AppContext, site: RunningSite, item: OutcomeItem): Promise<string | null> {
  const siteKey = site.config.siteKey;
  const { person } = item;
  if ('contactId' in person) return (await ctx.storage.getContact(siteKey, person.contactId))?.id ?? null;
  if ('userId' in person)
    return (await ctx.storage.contactByAnonymousId(siteKey, `user:${person.userId}`))?.id ?? null;
  return null;
}

function unknownPerson(item: OutcomeItem): string {
  const { person } = item;
  if ('email' in person) return `items[${item.index}].email: no contact with this email on this site`;
  if ('userId' in person) return `items[${item.index}].userId: no contact with this userId on this site`;
  return `items[${item.index}].contactId: no such contact on this site`;
}

/**
 * Records sales outcomes, one transaction per item in the order given, each dated at its `at` (the
 * funnel and the model review read those dates); the stage endpoint's rules apply. Unknown people and
 * refused moves are answered per item.
 */
export async function recordOutcomes(
  ctx: AppContext,
  site: RunningSite,
  items: (OutcomeItem | OutcomeResult)[],
  by: string,
): Promise<OutcomeResult[]> {
  const results: OutcomeResult[] = [];
  for (const item of items) {
    if (!('person' in item)) {
      results.push(item);
      continue;
    }
    const { person } = item;
    const known = 'email' in person ? null : await contactIdOf(ctx, site, item);
    if (!('email' in person) && known === null) {
      results.push({ index: item.index, error: unknownPerson(item) });
      continue;
    }
    let effects = createEffects();
    const result = await ctx.storage.transaction(async (tx): Promise<OutcomeResult> => {
      // A PostgreSQL transaction that lost a race runs again: only the last attempt's effects count.
      effects = createEffects();
      const id = 'email' in person ? await tx.contactIdForEmail(site.config.siteKey, person.email) : known;
      if (id === null) return { index: item.index, error: unknownPerson(item) };
      const locked = await tx.lockContact(id);
      if (!locked || locked.siteKey !== site.config.siteKey)
        return {
          index: item.index,
          error: `items[${item.index}]: contact merged or removed meanwhile: retry`,
        };
      if (item.stage === 'lead' && (locked.stage === 'visitor' || locked.stage === 'lead')) {
        return {
          index: item.index,
          contactId: locked.id,
          error: `items[${item.index}].stage: cannot recycle a contact that is ${locked.stage}`,
        };
      }
      const rank = stageRank(item.stage);
      // A past deal dates the stages it implies back to `at` (the first time each was reached).
      const backdates = STAGES.some((s) => stageRank(s) <= rank && (locked.reached[s] ?? 0) > item.at);
      const unchanged =
        locked.stage === item.stage && (item.revenue === undefined || item.revenue === locked.revenue);
      if (unchanged && !backdates) return { index: item.index, contactId: locked.id, unchanged: true };
      if (!unchanged) {
        await moveStage(
          tx,
          site,
          locked,
          item.stage,
          {
            at: item.at,
            by: item.by === undefined ? by : `${by}:${item.by}`,
            ...(item.reason !== undefined ? { reason: item.reason } : {}),
            ...(item.revenue !== undefined ? { revenue: item.revenue } : {}),
          },
          effects,
        );
      }
      if (item.stage !== 'lead') {
        for (const s of STAGES) {
          const reached = locked.reached[s];
          if (stageRank(s) <= rank && reached !== undefined && reached > item.at) locked.reached[s] = item.at;
        }
      }
      const now = ctx.now();
      locked.score = currentScore(site, locked, now);
      locked.updatedAt = now;
      await tx.saveContact(locked);
      return { index: item.index, contactId: locked.id, stage: item.stage };
    });
    ctx.hub.publish(site.config.siteKey, effects.live);
    if (effects.webhooks > 0) ctx.webhooks.wake();
    results.push(result);
  }
  return results;
}
