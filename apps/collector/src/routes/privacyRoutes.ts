import { Readable } from 'node:stream';
import { isObject } from '@leadlight/scoring-core';
import type { AuditItem, Page, PrivacyAnswer } from '@leadlight/scoring-core/wire';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../appContext.js';
import { CollectorError } from '../collectorError.js';
import { parseLimit } from '../pageCursor.js';
import { eraseContact, eraseVisitor } from '../privacy/eraseContact.js';
import { exportContact } from '../privacy/exportContact.js';
import { requireSecret } from '../requestAuth.js';
import type { RunningSite } from '../siteRegistry.js';

/**
 * Who is acting: the auth's `by` (`secret-key` or `session`), with `:<name>` when the request names a
 * person (`by` in a JSON body, or `?by=` on a GET), as stage moves record it.
 */
function actor(request: FastifyRequest, by: string): string {
  const body = request.body;
  if (body !== undefined && body !== null && !isObject(body))
    throw new CollectorError('bad_request', 'body: expected a JSON object {by?} or nothing');
  const query = (request.query ?? {}) as Record<string, unknown>;
  const name = isObject(body) && body.by !== undefined ? body.by : query.by;
  if (name === undefined) return by;
  if (typeof name !== 'string' || name === '' || name.length > 200)
    throw new CollectorError('bad_request', 'by: expected a name of 1 to 200 characters');
  return `${by}:${name}`;
}

function notFound(what: string): CollectorError {
  return new CollectorError('not_found', `no ${what} on this site`);
}

/** Registers the privacy endpoints: erasure (contact, browser, email), export, audit trail, policy. */
export function registerPrivacyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const findContact = async (site: RunningSite, id: string) => {
    const contact = await ctx.storage.getContact(site.config.siteKey, id);
    // Another site's contact is answered exactly like a missing one.
    if (!contact) throw notFound(`contact ${JSON.stringify(id.slice(0, 100))}`);
    return contact;
  };

  app.delete('/v1/leads/:id', async (request) => {
    const { site, by } = await requireSecret(ctx, request);
    const who = actor(request, by);
    const contact = await findContact(site, (request.params as { id: string }).id);
    const report = await eraseContact(ctx, site, { contactId: contact.id }, who);
    if (!report) throw notFound('such contact');
    return report;
  });

  app.delete('/v1/leads', async (request) => {
    const { site, by } = await requireSecret(ctx, request);
    const who = actor(request, by);
    const email = ((request.query ?? {}) as Record<string, unknown>).email;
    if (typeof email !== 'string' || email.trim() === '' || email.length > 320)
      throw new CollectorError('bad_request', 'email: expected ?email=<address> of the contact to erase');
    const report = await eraseContact(ctx, site, { email }, who);
    if (!report) throw notFound('contact with this email');
    return report;
  });

  app.delete('/v1/visitors/:anonymousId', async (request) => {
    const { site, by } = await requireSecret(ctx, request);
    const who = actor(request, by);
    const report = await eraseVisitor(
      ctx,
      site,
      (request.params as { anonymousId: string }).anonymousId,
      who,
    );
    if (!report) throw notFound('data for this anonymous id');
    return report;
  });

  app.get('/v1/leads/:id/export', async (request, reply) => {
    const { site, by } = await requireSecret(ctx, request);
    const who = actor(request, by);
    const contact = await findContact(site, (request.params as { id: string }).id);
    reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="leadlight-contact-${contact.id}.json"`)
      .header('cache-control', 'no-store');
    return reply.send(Readable.from(exportContact(ctx, site, contact, who)));
  });

  app.get('/v1/audit', async (request): Promise<Page<AuditItem>> => {
    const { site } = await requireSecret(ctx, request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const limit = parseLimit(query.limit);
    let beforeId: number | undefined;
    if (query.cursor !== undefined && query.cursor !== '') {
      beforeId = Number(query.cursor);
      if (!Number.isSafeInteger(beforeId) || beforeId < 1)
        throw new CollectorError('bad_request', 'cursor: expected the nextCursor of a previous page');
    }
    const rows = await ctx.storage.listAudit(site.config.siteKey, {
      limit: limit + 1,
      ...(beforeId === undefined ? {} : { beforeId }),
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map(({ siteKey: _site, ...entry }) => entry),
      nextCursor: rows.length > limit ? String(page.at(-1)?.id) : null,
    };
  });

  app.get('/v1/privacy', async (request): Promise<PrivacyAnswer> => {
    const { site } = await requireSecret(ctx, request);
    return { retentionDays: site.config.retentionDays ?? null, suppressErased: site.config.erasure.suppress };
  });
}
