import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from './appContext.js';
import { CollectorError } from './collectorError.js';
import type { RateLimitConfig } from './config/validateRateLimit.js';
import type { RunningSite } from './siteRegistry.js';

/** The dashboard session cookie's name. */
export const SESSION_COOKIE = 'll_session';

/** Hashes a session token; only hashes are stored, so a database copy holds no usable session. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Reads one cookie from the Cookie header. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Wrong secret keys one client IP may try: 10 a minute, as a token bucket (one back every 6 s). */
export const FAILED_KEY_LIMIT: RateLimitConfig = { perMinute: 10, burst: 10 };

/**
 * Looks up a secret key tried by a client (bearer or dashboard sign-in). Only wrong keys use up the
 * client IP's allowance; once it is used up, every secret-key attempt from that IP, right or wrong,
 * answers 429 until the bucket refills, so a guesser learns nothing from a late hit.
 */
export function findSecretKeySite(
  ctx: AppContext,
  request: FastifyRequest,
  key: string,
): RunningSite | undefined {
  const ip = request.ip;
  const wait = ctx.failedKeys.wait(ip, FAILED_KEY_LIMIT);
  if (wait > 0) {
    throw new CollectorError('rate_limited', `too many wrong secret keys from ${ip}: retry in ${wait} s`, {
      retryAfter: wait,
    });
  }
  const site = ctx.sites.bySecretKey(key);
  if (!site) ctx.failedKeys.take(ip, FAILED_KEY_LIMIT);
  return site;
}

/**
 * Authenticates a read/write API call by `Authorization: Bearer <secretKey>` or the dashboard session
 * cookie; a site key never passes. Cookie calls that change data must send JSON (a cross-site form
 * cannot) and, when they carry an Origin, come from this host. `by` names the caller for audit entries:
 * `secret-key`, or `session:<display name>` (plain `session` for a session signed in without one).
 */
export async function requireSecret(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<{ site: RunningSite; by: string }> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new CollectorError('unauthorized', 'Authorization: expected "Bearer <secretKey>"');
    const site = findSecretKeySite(ctx, request, match[1] as string);
    if (!site) {
      if (ctx.sites.bySiteKey(match[1] as string)) {
        throw new CollectorError(
          'unauthorized',
          "a site key cannot call this endpoint: use the site's secret key",
        );
      }
      throw new CollectorError('unauthorized', 'unknown secret key');
    }
    return { site, by: 'secret-key' };
  }
  const token = readCookie(request, SESSION_COOKIE);
  if (token) {
    const session = await ctx.storage.session(hashToken(token), ctx.now());
    const site = session === null ? undefined : ctx.sites.bySiteKey(session.siteKey);
    if (!site) throw new CollectorError('unauthorized', 'session expired or unknown: sign in again');
    if (STATE_CHANGING.has(request.method)) checkCookieWrite(request);
    return { site, by: session?.name ? `session:${session.name}` : 'session' };
  }
  throw new CollectorError('unauthorized', 'missing credentials: send "Authorization: Bearer <secretKey>"');
}

/** Guards a cookie-authenticated write against cross-site requests. */
export function checkCookieWrite(request: FastifyRequest): void {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new CollectorError(
      'forbidden',
      'requests signed in by cookie that change data must send Content-Type: application/json',
    );
  }
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      host = '';
    }
    if (host !== request.headers.host)
      throw new CollectorError('forbidden', `origin ${origin} may not use this session`);
  }
}

/** Resolves the site of a site-key call (key from the body, `X-Leadlight-Key` or `?siteKey=`). */
export function requireSiteKey(ctx: AppContext, key: unknown): RunningSite {
  if (typeof key !== 'string' || key === '') {
    throw new CollectorError(
      'unauthorized',
      'missing site key: send "siteKey" (body or query) or the X-Leadlight-Key header',
    );
  }
  const site = ctx.sites.bySiteKey(key);
  if (!site) throw new CollectorError('unauthorized', 'unknown site key');
  return site;
}

/** Applies the site's origin list to a browser call: names the origin when allowed, 403 otherwise. */
export function checkOrigin(site: RunningSite, request: FastifyRequest, reply: FastifyReply): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (!site.config.origins.includes(origin)) {
    reply.removeHeader('access-control-allow-origin');
    throw new CollectorError('forbidden', `origin ${origin} is not allowed for this site`);
  }
  reply.header('access-control-allow-origin', origin);
}

/** Takes a rate-limit token for site + client IP, or throws 429 with the seconds to wait. */
export function checkRate(ctx: AppContext, site: RunningSite, request: FastifyRequest): void {
  const wait = ctx.limiter.take(`${site.config.siteKey}|${request.ip}`, site.config.rateLimit);
  if (wait > 0) {
    throw new CollectorError(
      'rate_limited',
      `too many requests for this site from ${request.ip}: retry in ${wait} s`,
      {
        retryAfter: wait,
      },
    );
  }
}
