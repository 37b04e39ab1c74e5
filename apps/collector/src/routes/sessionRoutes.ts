import { randomBytes } from 'node:crypto';
import { isObject } from '@leadlight/scoring-core';
import type { SessionAnswer } from '@leadlight/scoring-core/wire';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../appContext.js';
import { CollectorError } from '../collectorError.js';
import {
  checkCookieWrite,
  findSecretKeySite,
  hashToken,
  readCookie,
  SESSION_COOKIE,
} from '../requestAuth.js';

/** How long a dashboard session lasts. */
const SESSION_MS = 12 * 60 * 60_000;

/** Registers `/v1/session`: signing a dashboard in with the secret key (a cookie), who is signed in, signing out. */
export function registerSessionRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/v1/session', async (request, reply) => {
    checkCookieWrite(request);
    const body = request.body;
    if (!isObject(body) || typeof body.secretKey !== 'string' || body.secretKey === '') {
      throw new CollectorError('bad_request', "secretKey: expected the site's secret key");
    }
    // The display name the dashboard records as the actor of this session's changes (one key per site).
    const name = typeof body.name === 'string' ? body.name.trim() : body.name;
    if (name !== undefined && name !== '' && (typeof name !== 'string' || name.length > 100)) {
      throw new CollectorError('bad_request', 'name: expected a display name of at most 100 characters');
    }
    const site = findSecretKeySite(ctx, request, body.secretKey);
    if (!site) throw new CollectorError('unauthorized', 'unknown secret key');
    const token = randomBytes(32).toString('base64url');
    await ctx.storage.createSession(
      hashToken(token),
      site.config.siteKey,
      ctx.now() + SESSION_MS,
      typeof name === 'string' && name !== '' ? name : null,
    );
    // Secure whenever the request came over TLS (directly or, as fastify reports it, through a trusted proxy).
    const secure = request.protocol === 'https' ? '; Secure' : '';
    reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}${secure}`,
    );
    return {
      siteKey: site.config.siteKey,
      expiresAt: ctx.now() + SESSION_MS,
      name: typeof name === 'string' && name !== '' ? name : null,
    };
  });

  // Who is signed in: 200 either way, so a dashboard can check for a session without a 401 in the console.
  app.get('/v1/session', async (request): Promise<SessionAnswer> => {
    const token = readCookie(request, SESSION_COOKIE);
    const session = token ? await ctx.storage.session(hashToken(token), ctx.now()) : null;
    const site = session ? ctx.sites.bySiteKey(session.siteKey) : undefined;
    return { session: session && site ? { siteKey: session.siteKey, name: session.name } : null };
  });

  app.delete('/v1/session', async (request, reply) => {
    const token = readCookie(request, SESSION_COOKIE);
    if (token) {
      checkCookieWrite(request);
      await ctx.storage.deleteSession(hashToken(token));
    }
    reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    return reply.code(204).send();
  });
}
