import { randomUUID } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import type { RejectedEvent, ServerBatchAnswer } from '@leadlight/scoring-core/wire';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../appContext.js';
import { CollectorError } from '../collectorError.js';
import { ingestBatch } from '../ingestBatch.js';
import { checkEvent, MAX_EVENTS_PER_BATCH, type ParsedEvent } from '../parseBatch.js';
import { FAILED_KEY_LIMIT } from '../requestAuth.js';
import { fromSegment, SEGMENT_TYPES } from '../segmentMessage.js';
import type { RunningSite } from '../siteRegistry.js';

/** True when a request carries HTTP Basic auth: a server call in the Segment spec, not a browser batch. */
export function isServerCall(request: FastifyRequest): boolean {
  return /^Basic\s/i.test(request.headers.authorization ?? '');
}

/**
 * The site of a server call: the write key is the HTTP Basic user name (Segment's convention; the
 * password is ignored). Wrong keys use up the client IP's wrong-key allowance, like secret keys.
 */
export function requireWriteKey(ctx: AppContext, request: FastifyRequest): RunningSite {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match)
    throw new CollectorError(
      'unauthorized',
      'Authorization: expected "Basic base64(<writeKey>:)" (the write key as user name)',
    );
  const ip = request.ip;
  const wait = ctx.failedKeys.wait(ip, FAILED_KEY_LIMIT);
  if (wait > 0)
    throw new CollectorError('rate_limited', `too many wrong keys from ${ip}: retry in ${wait} s`, {
      retryAfter: wait,
    });
  const user =
    Buffer.from(match[1] as string, 'base64')
      .toString('utf8')
      .split(':')[0] ?? '';
  const site = ctx.sites.byWriteKey(user);
  if (!site) {
    ctx.failedKeys.take(ip, FAILED_KEY_LIMIT);
    throw new CollectorError(
      'unauthorized',
      "unknown write key: send the site's writeKey as the HTTP Basic user name",
    );
  }
  return site;
}

/** Stores server-side messages: each one checked on its own, errors answered by index, nothing scored back. */
async function ingestMessages(
  ctx: AppContext,
  request: FastifyRequest,
  messages: unknown[],
): Promise<ServerBatchAnswer> {
  const site = requireWriteKey(ctx, request);
  if (messages.length > MAX_EVENTS_PER_BATCH)
    throw new CollectorError(
      'bad_request',
      `batch: at most ${MAX_EVENTS_PER_BATCH} messages per request, got ${messages.length}`,
    );
  const now = ctx.now();
  const events: ParsedEvent[] = [];
  const rejected: RejectedEvent[] = [];
  messages.forEach((message, index) => {
    const mapped = fromSegment(message, randomUUID, now);
    const checked = typeof mapped === 'string' ? mapped : checkEvent(mapped.event, now);
    if (typeof checked === 'string') rejected.push({ index, error: checked });
    else if (typeof mapped !== 'string')
      events.push({ ...checked, index, ...(mapped.linkAnonymousId ? { link: mapped.linkAnonymousId } : {}) });
  });
  const outcome = await ingestBatch(ctx.storage, {
    site,
    events,
    bot: false,
    receivedAt: now,
    anonymousId: null,
    dropped: 0,
    verified: new Set(),
    source: 'server',
  });
  ctx.hub.publish(site.config.siteKey, outcome.effects.live);
  if (outcome.effects.webhooks > 0) ctx.webhooks.wake();
  const accepted = outcome.inserted.filter(Boolean).length;
  const errors = [...rejected, ...outcome.rejected].sort((a, b) => a.index - b.index);
  return {
    success: errors.length === 0,
    accepted,
    duplicates: events.length - accepted - outcome.rejected.length,
    rejected: errors,
  };
}

/** The body of a Segment batch call: `{batch: [...]}`. */
function batchOf(body: unknown): unknown[] {
  const batch = (body as { batch?: unknown } | undefined)?.batch;
  if (!Array.isArray(batch)) throw new CollectorError('bad_request', 'batch: expected a list of messages');
  return batch;
}

/** `POST /v1/batch` with Basic auth (dispatched here by the ingest route). */
export function ingestServerBatch(ctx: AppContext, request: FastifyRequest) {
  return ingestMessages(ctx, request, batchOf(request.body));
}

/** Inflates gzip request bodies (Segment clients may send them); the body limit applies to the inflated bytes. */
export function inflateGzipBodies(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding === undefined || encoding === 'identity') return payload;
    if (encoding !== 'gzip')
      throw new CollectorError(
        'unsupported_media_type',
        `Content-Encoding: ${encoding} is not supported (gzip is)`,
      );
    const gunzip = createGunzip();
    // fastify compares Content-Length with the bytes received and the body limit with the bytes inflated.
    Object.defineProperty(gunzip, 'receivedEncodedLength', { get: () => gunzip.bytesWritten });
    payload.pipe(gunzip);
    return gunzip;
  });
}

/** Registers the single-message calls of the Segment spec: `/v1/track`, `/v1/identify`, `/v1/page`, `/v1/group`. */
export function registerServerRoutes(app: FastifyInstance, ctx: AppContext): void {
  for (const type of SEGMENT_TYPES) {
    app.post(`/v1/${type}`, async (request) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new CollectorError('bad_request', `body: expected one ${type} message object`);
      return ingestMessages(ctx, request, [{ ...body, type }]);
    });
  }
}
