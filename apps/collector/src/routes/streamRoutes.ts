import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../appContext.js';
import { requireSecret } from '../requestAuth.js';

/** Registers `GET /v1/stream`: the site's live score and stage changes as server-sent events. */
export function registerStreamRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/v1/stream', async (request, reply) => {
    const { site } = await requireSecret(ctx, request);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    const unsubscribe = ctx.hub.subscribe(site.config.siteKey, (event) => {
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), ctx.heartbeatMs);
    heartbeat.unref();
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    request.raw.on('close', end);
    res.on('close', end);
  });
}
