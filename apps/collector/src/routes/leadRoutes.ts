import { isObject, type Stage } from '@leadlight/scoring-core';
import type {
  ContactDetail,
  ContactListItem,
  ContactView,
  Page,
  ReceivedEvent,
} from '@leadlight/scoring-core/wire';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../appContext.js';
import { CollectorError } from '../collectorError.js';
import { createEffects, currentScore, moveStage } from '../contactLifecycle.js';
import { decodeCursor, encodeCursor, parseLimit } from '../pageCursor.js';
import { parseLeadQuery } from '../parseLeadQuery.js';
import { requireSecret } from '../requestAuth.js';
import type { RunningSite } from '../siteRegistry.js';
import type { ContactRecord } from '../storage/storage.js';
import { notesView } from './noteRoutes.js';

const SALES_STAGES = new Set<Stage>(['sql', 'opportunity', 'customer', 'lead']);

function q(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

function params(request: FastifyRequest): Record<string, string> {
  return request.params as Record<string, string>;
}

/** A contact as the list endpoint shows it. */
function contactView(site: RunningSite, c: ContactRecord, now: number): ContactView {
  return {
    id: c.id,
    stage: c.stage,
    email: c.email,
    traits: c.state.traits,
    score: currentScore(site, c, now),
    eventCount: c.eventCount,
    mqlAt: c.mqlAt,
    revenue: c.revenue,
    channel: c.channel,
    accountId: c.accountId,
    // When each stage was first reached: the dashboard charts MQLs, SQLs and customers over time from it.
    reached: c.reached,
    firstSeenAt: c.firstSeenAt,
    lastSeenAt: c.lastSeenAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

async function contactDetail(ctx: AppContext, site: RunningSite, c: ContactRecord): Promise<ContactDetail> {
  const [anonymousIds, stageHistory, recent, notes] = await Promise.all([
    ctx.storage.anonymousIds(c.id),
    ctx.storage.stageHistory(c.id),
    ctx.storage.recentEvents(c.id, 20),
    ctx.storage.contactNotes(c.id),
  ]);
  return {
    ...contactView(site, c, ctx.now()),
    anonymousIds,
    stageHistory,
    ...notesView(notes),
    recentEvents: recent.map((r) => ({ ...r.event, receivedAt: r.receivedAt, flags: r.flags })),
  };
}

/** Registers the secret-key endpoints of leads: the list, a lead, its events, a visitor's lead, stage moves. */
export function registerLeadRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/v1/leads', async (request): Promise<Page<ContactListItem>> => {
    const { site } = await requireSecret(ctx, request);
    const query = parseLeadQuery(q(request));
    const rows = await ctx.storage.listContacts(site.config.siteKey, { ...query, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const owners = await ctx.storage.ownersOf(page.map((r) => r.contact.id));
    return {
      items: page.map(({ contact }) => ({
        ...contactView(site, contact, ctx.now()),
        owner: owners.get(contact.id) ?? null,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.key, last.contact.id]) : null,
    };
  });

  const findContact = async (site: RunningSite, id: string) => {
    const contact = await ctx.storage.getContact(site.config.siteKey, id);
    // Another site's contact is answered exactly like a missing one.
    if (!contact)
      throw new CollectorError('not_found', `no contact ${JSON.stringify(id.slice(0, 100))} on this site`);
    return contact;
  };

  app.get('/v1/leads/:id', async (request) => {
    const { site } = await requireSecret(ctx, request);
    return contactDetail(ctx, site, await findContact(site, params(request).id as string));
  });

  app.get('/v1/leads/:id/events', async (request): Promise<Page<ReceivedEvent>> => {
    const { site } = await requireSecret(ctx, request);
    const contact = await findContact(site, params(request).id as string);
    const query = q(request);
    if (query.type !== undefined && (typeof query.type !== 'string' || query.type.length > 64)) {
      throw new CollectorError('bad_request', 'type: expected an event type');
    }
    const limit = parseLimit(query.limit, 100);
    const cursor = decodeCursor(query.cursor);
    const rows = await ctx.storage.listEvents(contact.id, {
      ...(typeof query.type === 'string' && query.type !== '' ? { type: query.type } : {}),
      limit: limit + 1,
      ...(cursor ? { after: { ts: cursor[0], id: cursor[1] } } : {}),
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({ ...r.event, receivedAt: r.receivedAt, flags: r.flags })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.event.ts, last.event.id]) : null,
    };
  });

  app.get('/v1/visitors/:anonymousId', async (request) => {
    const { site } = await requireSecret(ctx, request);
    const anonymousId = params(request).anonymousId as string;
    const contact = await ctx.storage.contactByAnonymousId(site.config.siteKey, anonymousId);
    if (!contact) throw new CollectorError('not_found', 'no contact owns this anonymous id on this site');
    return contactDetail(ctx, site, contact);
  });

  app.post('/v1/leads/:id/stage', async (request) => {
    const { site, by } = await requireSecret(ctx, request);
    const body = request.body;
    if (!isObject(body))
      throw new CollectorError('bad_request', 'body: expected a JSON object {stage, revenue?, reason?}');
    const { stage, revenue, reason } = body;
    if (typeof stage !== 'string' || !SALES_STAGES.has(stage as Stage)) {
      throw new CollectorError(
        'bad_request',
        `stage: expected "sql", "opportunity", "customer" or "lead" (recycle), got ${JSON.stringify(stage) ?? 'nothing'}`,
      );
    }
    if (revenue !== undefined) {
      if (typeof revenue !== 'number' || !Number.isFinite(revenue) || revenue < 0 || revenue > 1e13) {
        throw new CollectorError('bad_request', 'revenue: expected a non-negative number');
      }
      if (stage !== 'customer' && stage !== 'opportunity') {
        throw new CollectorError('bad_request', 'revenue: only with stage "customer" or "opportunity"');
      }
    }
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > 1000)) {
      throw new CollectorError('bad_request', 'reason: expected a string of at most 1000 characters');
    }
    if (body.by !== undefined && (typeof body.by !== 'string' || body.by === '' || body.by.length > 200)) {
      throw new CollectorError('bad_request', 'by: expected a name of 1 to 200 characters');
    }
    const who = typeof body.by === 'string' ? `${by}:${body.by}` : by;
    const id = (await findContact(site, params(request).id as string)).id;
    const effects = createEffects();
    const contact = await ctx.storage.transaction(async (tx) => {
      const locked = await tx.lockContact(id);
      if (!locked) throw new CollectorError('not_found', 'contact merged or removed meanwhile: retry');
      if (stage === 'lead' && (locked.stage === 'visitor' || locked.stage === 'lead')) {
        throw new CollectorError('bad_request', `stage: cannot recycle a contact that is ${locked.stage}`);
      }
      const unchanged = locked.stage === stage && (revenue === undefined || revenue === locked.revenue);
      if (!unchanged) {
        const now = ctx.now();
        await moveStage(
          tx,
          site,
          locked,
          stage as Stage,
          {
            at: now,
            by: who,
            ...(typeof reason === 'string' ? { reason } : {}),
            ...(typeof revenue === 'number' ? { revenue } : {}),
          },
          effects,
        );
        locked.score = currentScore(site, locked, now);
        locked.updatedAt = now;
        await tx.saveContact(locked);
      }
      return locked;
    });
    ctx.hub.publish(site.config.siteKey, effects.live);
    if (effects.webhooks > 0) ctx.webhooks.wake();
    return contactDetail(ctx, site, contact);
  });
}
