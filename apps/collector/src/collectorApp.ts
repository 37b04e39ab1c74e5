import { readdir } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join, relative, sep } from 'node:path';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { AppContext } from './appContext.js';
import { CollectorError } from './collectorError.js';
import { rescoreSite } from './rescoreSite.js';
import { registerAccountRoutes } from './routes/accountRoutes.js';
import { registerFunnelRoutes } from './routes/funnelRoutes.js';
import { registerIngestRoutes, SITE_KEY_PATHS } from './routes/ingestRoutes.js';
import { registerLeadRoutes } from './routes/leadRoutes.js';
import { registerModelRoutes } from './routes/modelRoutes.js';
import { registerNoteRoutes } from './routes/noteRoutes.js';
import { registerPrivacyRoutes } from './routes/privacyRoutes.js';
import { registerReviewRoutes } from './routes/reviewRoutes.js';
import { inflateGzipBodies, isServerCall, registerServerRoutes } from './routes/serverRoutes.js';
import { registerSessionRoutes } from './routes/sessionRoutes.js';
import { registerStreamRoutes } from './routes/streamRoutes.js';
import { resolveStaticPath } from './staticFiles.js';

/** Largest request body accepted (between the 256 KiB floor and 1 MiB ceiling of DESIGN.md §6). */
export const BODY_LIMIT = 512 * 1024;

/** A refused body is still read up to this size (or for this long), so its client gets the 413. */
const DRAIN_LIMIT = 16 * 1024 * 1024;
const DRAIN_MS = 10_000;

const ASSET_NAME = /^\/leadlight[A-Za-z0-9_.-]*\.js(\.map)?$/;

/** Headers of every file under the static site's `dashboard/` folder: no other site may frame it. */
const DASHBOARD_HEADERS = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

/**
 * Trusts the proxy that connects to us and nothing before it: the client IP is the last
 * X-Forwarded-For entry, the one that proxy added. fastify's `true` would take the first entry, which
 * the client writes itself; a hop count makes fastify 5 trust no header at all.
 */
function trustOneProxy(_address: string, hop: number): boolean {
  return hop === 0;
}

function sendError(reply: FastifyReply, error: CollectorError): FastifyReply {
  if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
  return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
}

/** Maps anything thrown while answering to the collector's error shape; never leaks internals. */
function toCollectorError(error: FastifyError | Error): CollectorError {
  if (error instanceof CollectorError) return error;
  const code = (error as FastifyError).code;
  const status = (error as FastifyError).statusCode;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new CollectorError('payload_too_large', `body: larger than ${BODY_LIMIT} bytes`);
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new CollectorError(
      'unsupported_media_type',
      'Content-Type: expected application/json or text/plain',
    );
  }
  if (
    error instanceof SyntaxError ||
    code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    code === 'FST_ERR_CTP_INVALID_JSON_BODY'
  ) {
    return new CollectorError('bad_request', `body: invalid JSON (${error.message.slice(0, 200)})`);
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413)
      return new CollectorError('payload_too_large', `body: larger than ${BODY_LIMIT} bytes`);
    return new CollectorError('bad_request', error.message.slice(0, 300));
  }
  return new CollectorError('internal', 'internal error', { cause: error });
}

/**
 * Reads and drops the rest of a refused body; answers true once all of it is read. Closing a socket
 * with unread bytes makes the kernel reset the connection, and a client still uploading then gets a
 * reset or EPIPE instead of the 413 already written to it.
 */
function drainBody(raw: IncomingMessage): Promise<boolean> {
  if (raw.complete || raw.destroyed) return Promise.resolve(raw.complete);
  return new Promise((resolve) => {
    let read = 0;
    const finish = (whole: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('close', onClose);
      raw.off('error', onClose);
      resolve(whole);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > DRAIN_LIMIT) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(raw.complete);
    const timer = setTimeout(() => finish(false), DRAIN_MS);
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('close', onClose);
    raw.on('error', onClose);
    raw.resume();
  });
}

/** Options of the HTTP app beyond its context. */
export interface CollectorAppOptions {
  logger: boolean | FastifyBaseLogger | Record<string, unknown>;
  /** Behind a reverse proxy: take the client IP and protocol from its X-Forwarded-* headers. */
  trustProxy?: boolean;
}

/** Builds the fastify app: body parsing, CORS, every route of DESIGN.md §6, SDK files and the static site. */
export function createCollectorApp(ctx: AppContext, options: CollectorAppOptions): FastifyInstance {
  const loggerOption =
    typeof options.logger === 'object' && options.logger !== null && 'child' in options.logger
      ? { loggerInstance: options.logger as FastifyBaseLogger }
      : { logger: options.logger as boolean | Record<string, unknown> };
  const app = Fastify({
    ...loggerOption,
    bodyLimit: BODY_LIMIT,
    trustProxy: options.trustProxy ? trustOneProxy : false,
    logController: new LogController({ disableRequestLogging: true }),
    // Identifiers, not secrets, appear in URLs; bodies and headers are never logged.
    return503OnClosing: true,
    forceCloseConnections: true,
  }) as unknown as FastifyInstance;

  // JSON and text/plain (what sendBeacon sends without a preflight) parse alike; __proto__ and
  // constructor.prototype keys are refused rather than silently kept.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  const parseBody = (
    request: FastifyRequest,
    body: string | Buffer,
    done: (e: Error | null, v?: unknown) => void,
  ) => {
    if (body === '' || (body as string).trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, body as string, done);
  };
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'string', bodyLimit: BODY_LIMIT },
    parseBody,
  );
  // Server SDKs post gzip JSON under other types (RudderStack's sends application/octet-stream-like ones).
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    if (isServerCall(request)) parseBody(request, body, done);
    else
      done(
        new CollectorError(
          'unsupported_media_type',
          `Content-Type: ${request.headers['content-type'] ?? '(none)'} is not accepted; send application/json`,
        ),
      );
  });

  const sitePaths = new Set(SITE_KEY_PATHS);
  // A callback hook, not an async one: it runs on every request and has nothing to await.
  app.addHook('onRequest', (request, reply, done) => {
    // Site-key endpoints name an allowed origin even on errors, so browsers can read 4xx/429 answers;
    // the handler removes it again when the resolved site does not list that origin.
    const origin = request.headers.origin;
    if (origin !== undefined && sitePaths.has(request.url.split('?')[0] ?? '')) {
      reply.header('vary', 'Origin');
      if (ctx.sites.knowsOrigin(origin)) {
        reply.header('access-control-allow-origin', origin);
        reply.header('access-control-expose-headers', 'ETag, Retry-After');
      }
    }
    done();
  });

  app.setErrorHandler(async (error, request, reply) => {
    const mapped = toCollectorError(error as FastifyError);
    if (mapped.status >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    // fastify refuses a body over the limit before reading it and asks to close the connection; once
    // the body is read, the connection can stay open.
    if (mapped.code === 'payload_too_large' && (await drainBody(request.raw))) {
      reply.removeHeader('connection');
    }
    return sendError(reply, mapped);
  });

  app.get('/healthz', async (_request, reply) => {
    try {
      await ctx.storage.ping();
      return { ok: true, storage: ctx.storage.kind };
    } catch {
      return reply.code(503).send({ error: { code: 'storage', message: 'storage does not answer' } });
    }
  });

  // Contacts scored under an older model (the config's model changed, or a rescore was cut short) are
  // rescored in the background once listening; until then they answer their stored score.
  let stopping = false;
  let rescoring: Promise<unknown> = Promise.resolve();
  app.addHook('onReady', async () => {
    rescoring = Promise.all(
      ctx.sites.all().map((site) =>
        rescoreSite(ctx, site, { onlyStale: true, shouldStop: () => stopping }).catch((error: Error) => {
          if (!stopping) app.log.error({ err: error }, `rescoring ${site.config.siteKey} failed`);
        }),
      ),
    );
  });
  app.addHook('onClose', async () => {
    stopping = true;
    await rescoring;
  });

  inflateGzipBodies(app);
  registerIngestRoutes(app, ctx);
  registerLeadRoutes(app, ctx);
  registerFunnelRoutes(app, ctx);
  registerStreamRoutes(app, ctx);
  registerModelRoutes(app, ctx);
  registerSessionRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerNoteRoutes(app, ctx);
  registerPrivacyRoutes(app, ctx);
  registerReviewRoutes(app, ctx);
  registerServerRoutes(app, ctx);

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      const path = request.url.split('?')[0] ?? '/';
      if (ASSET_NAME.test(path)) {
        const name = path.slice(1);
        // The service worker must revalidate on every check; the SDK may be cached briefly.
        const cache = name.startsWith('leadlight-sw')
          ? 'no-cache'
          : 'public, max-age=300, stale-while-revalidate=86400';
        for (const dir of ctx.assetDirs) {
          if (await ctx.files.send(request, reply, join(dir, name), cache)) return reply;
        }
      }
      if (ctx.staticDir !== undefined && !path.startsWith('/v1/')) {
        const file = await resolveStaticPath(ctx.staticDir, path);
        if (file !== null) {
          // Judged on the resolved file, so /%64ashboard/ or /x/../dashboard/ are covered too.
          const dashboard = relative(ctx.staticDir, file).split(sep)[0] === 'dashboard';
          const headers = dashboard ? DASHBOARD_HEADERS : undefined;
          if (await ctx.files.send(request, reply, file, 'no-cache', headers)) return reply;
        }
      }
    }
    return sendError(
      reply,
      new CollectorError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
    );
  });

  return app;
}

/** Lists the `leadlight*.js` files found in the asset folders (for the start-up log). */
export async function listAssets(dirs: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    try {
      for (const name of await readdir(dir)) if (ASSET_NAME.test(`/${name}`)) found.push(name);
    } catch {
      // a missing folder just means that package is not built yet
    }
  }
  return found;
}
