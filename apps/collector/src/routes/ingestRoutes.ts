import { createState, foldEvents } from '@leadlight/scoring-core';
import type { BatchAnswer, ScoreAnswer, ServerBatchAnswer } from '@leadlight/scoring-core/wire';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../appContext.js';
import { browserView, isVerified } from '../browserView.js';
import { CollectorError } from '../collectorError.js';
import { ingestBatch } from '../ingestBatch.js';
import { isBotUserAgent } from '../isBotUserAgent.js';
import { parseBatch } from '../parseBatch.js';
import { dropSuppressed } from '../privacy/dropSuppressed.js';
import { checkOrigin, checkRate, requireSiteKey } from '../requestAuth.js';
import { verifyIdentityTokens } from '../verifyIdentityTokens.js';
import { ingestServerBatch, isServerCall } from './serverRoutes.js';

/** The browser-facing paths, answered with CORS for the site's origins. */
export const SITE_KEY_PATHS = ['/v1/batch', '/v1/model', '/v1/score'];

function headerKey(request: FastifyRequest): string | undefined {
  const value = request.headers['x-leadlight-key'];
  return typeof value === 'string' ? value : undefined;
}

function query(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

/** Registers the site-key endpoints: batch ingest, model, score, and their CORS preflights. */
export function registerIngestRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Preflights carry no key, so any configured origin is answered; the real call checks its own site.
  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    reply.header('vary', 'Origin');
    if (origin === undefined || !ctx.sites.knowsOrigin(origin)) {
      throw new CollectorError('forbidden', `origin ${origin ?? '(none)'} is not allowed`);
    }
    reply
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-methods', 'GET, POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type, x-leadlight-key, if-none-match')
      .header('access-control-max-age', '600')
      .code(204)
      .send();
  };
  for (const path of SITE_KEY_PATHS) app.options(path, preflight);

  app.post('/v1/batch', async (request, reply): Promise<BatchAnswer | ServerBatchAnswer> => {
    // A Segment-spec call from a server (write key as HTTP Basic user): no site key, origin or browser view.
    if (isServerCall(request)) return ingestServerBatch(ctx, request);
    const now = ctx.now();
    const batch = parseBatch(request.body, headerKey(request), now);
    const site = requireSiteKey(ctx, batch.siteKey);
    checkOrigin(site, request, reply);
    checkRate(ctx, site, request);
    const bot =
      site.config.bots === 'ignore' && (batch.automated || isBotUserAgent(request.headers['user-agent']));
    const verified = verifyIdentityTokens(batch, site.config.identitySecret);
    // Erased browsers and emails under `erasure.suppress`: acknowledged, never stored.
    const suppressed = await dropSuppressed(ctx.storage, site, batch);
    const outcome = await ingestBatch(ctx.storage, {
      site,
      events: batch.events,
      bot,
      receivedAt: now,
      anonymousId: batch.anonymousId,
      dropped: batch.dropped,
      verified,
      source: 'browser',
    });
    // Committed: now the outside world may hear about it.
    ctx.hub.publish(site.config.siteKey, outcome.effects.live);
    if (outcome.effects.webhooks > 0) ctx.webhooks.wake();
    let accepted = 0;
    const acked: string[] = [];
    const seen = new Set<string>(suppressed);
    acked.push(...seen);
    const refused = new Set(outcome.rejected.map((r) => r.index));
    batch.events.forEach(({ event, index }, i) => {
      if (outcome.inserted[i]) accepted += 1;
      if (!seen.has(event.id) && !refused.has(index)) {
        seen.add(event.id);
        acked.push(event.id);
      }
    });
    const rejected = [...batch.rejected, ...outcome.rejected].sort((a, b) => a.index - b.index);
    return {
      accepted,
      duplicates: batch.events.length - accepted - refused.size,
      rejected,
      acked,
      bot,
      ...outcome.view,
    };
  });

  app.get('/v1/model', async (request, reply) => {
    const site = requireSiteKey(ctx, query(request).siteKey ?? headerKey(request));
    checkOrigin(site, request, reply);
    checkRate(ctx, site, request);
    const etag = `"${site.modelHash}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache').header('vary', 'Origin');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(site.model);
  });

  app.get('/v1/score', async (request, reply): Promise<ScoreAnswer> => {
    const q = query(request);
    const site = requireSiteKey(ctx, q.siteKey ?? headerKey(request));
    checkOrigin(site, request, reply);
    checkRate(ctx, site, request);
    const anonymousId = q.anonymousId;
    if (typeof anonymousId !== 'string' || anonymousId === '' || anonymousId.length > 200) {
      throw new CollectorError('bad_request', 'anonymousId: expected a string of 1 to 200 characters');
    }
    const now = ctx.now();
    const siteKey = site.config.siteKey;
    const device = await ctx.storage.device(siteKey, anonymousId);
    if (device && device.state?.modelHash !== site.modelHash) {
      // Scored under an older model (or never): answer from its events, as its next batch will.
      const events = await ctx.storage.deviceEvents(siteKey, anonymousId);
      device.state = foldEvents(site.model, createState(site.model), events);
    }
    const contact = device?.verifiedEmail ? await ctx.storage.getContact(siteKey, device.contactId) : null;
    // Only a verified browser is told its account's stage: read the account for no one else.
    const account =
      device && contact?.accountId && isVerified(device, contact, now)
        ? await ctx.storage.accounts.getAccount(siteKey, contact.accountId)
        : null;
    return browserView(site, device, contact, now, account);
  });
}
