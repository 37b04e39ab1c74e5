import type { FunnelAnswer } from '@leadlight/scoring-core/wire';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../appContext.js';
import { CollectorError } from '../collectorError.js';
import { computeFunnel } from '../computeFunnel.js';
import { requireSecret } from '../requestAuth.js';

function parseTime(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'string') {
    const n = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isFinite(n)) return n;
  }
  throw new CollectorError(
    'bad_request',
    `${name}: expected an ISO date or ms since epoch, got ${JSON.stringify(value)}`,
  );
}

/** Registers `GET /v1/funnel`: the site's funnel over a time range, with bot and dropped-event counters. */
export function registerFunnelRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/v1/funnel', async (request): Promise<FunnelAnswer> => {
    const { site } = await requireSecret(ctx, request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const from = parseTime('from', query.from, 0);
    const to = parseTime('to', query.to, ctx.now() + 1);
    if (from > to) throw new CollectorError('bad_request', 'from: must not be after to');
    const contacts = await ctx.storage.funnelContacts(site.config.siteKey, { from, to });
    const counters = await ctx.storage.counters(site.config.siteKey);
    const mqas = await ctx.storage.accounts.countMqas(site.config.siteKey, { from, to });
    return {
      ...computeFunnel(contacts, { from, to }, mqas),
      botEvents: counters.botEvents ?? 0,
      botVisitors: counters.botVisitors ?? 0,
      browserDropped: counters.browserDropped ?? 0,
    };
  });
}
