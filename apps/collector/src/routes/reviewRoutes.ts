import type { ReviewOutcome } from '@leadlight/scoring-core/wire';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../appContext.js';
import { CollectorError } from '../collectorError.js';
import { requireSecret } from '../requestAuth.js';
import { parseOutcomes, recordOutcomes } from '../review/recordOutcomes.js';
import { ReviewCache } from '../review/reviewCache.js';
import { REVIEW_OUTCOMES, ReviewStopped, reviewModel } from '../review/reviewModel.js';
import type { RunningSite } from '../siteRegistry.js';
import { requireWriteKey } from './serverRoutes.js';

/**
 * The site of an outcomes call: the secret key (or dashboard session), or the write key as the HTTP Basic
 * user name (a CRM's server writes outcomes like it writes events). Wrong write keys use up the client
 * IP's wrong-key allowance, like secret keys.
 */
async function requireOutcomeWriter(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<{ site: RunningSite; by: string }> {
  const header = request.headers.authorization ?? '';
  if (!/^Basic\s/i.test(header)) return requireSecret(ctx, request);
  const site = requireWriteKey(ctx, request);
  return { site, by: 'write-key' };
}

/** Registers the model review (`GET /v1/model/review`) and CRM outcomes (`POST /v1/outcomes`). */
export function registerReviewRoutes(app: FastifyInstance, ctx: AppContext): void {
  const reviews = new ReviewCache(
    (site, outcome, shouldStop) => reviewModel(ctx.storage, site, outcome, { now: ctx.now(), shouldStop }),
    ctx.now,
    (error) => {
      if (!(error instanceof ReviewStopped)) app.log.error({ err: error }, 'model review failed');
    },
  );
  app.addHook('onClose', async () => {
    await reviews.stop();
  });

  app.get('/v1/model/review', async (request) => {
    const { site } = await requireSecret(ctx, request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const outcome = query.outcome === undefined || query.outcome === '' ? 'sql' : query.outcome;
    if (!(REVIEW_OUTCOMES as readonly unknown[]).includes(outcome)) {
      throw new CollectorError(
        'bad_request',
        `outcome: expected one of ${REVIEW_OUTCOMES.join(', ')}, got ${JSON.stringify(outcome)}`,
      );
    }
    const { refresh } = query;
    if (
      refresh !== undefined &&
      refresh !== 'true' &&
      refresh !== 'false' &&
      refresh !== '1' &&
      refresh !== '0'
    )
      throw new CollectorError(
        'bad_request',
        `refresh: expected true or false, got ${JSON.stringify(refresh)}`,
      );
    const { review, refreshing } = await reviews.get(
      site,
      outcome as ReviewOutcome,
      refresh === 'true' || refresh === '1',
    );
    return { ...review, refreshing };
  });

  app.post('/v1/outcomes', async (request) => {
    const { site, by } = await requireOutcomeWriter(ctx, request);
    const items = parseOutcomes(request.body, ctx.now());
    const results = await recordOutcomes(ctx, site, items, by);
    const recorded = results.filter((r) => r.stage !== undefined).length;
    if (recorded > 0) reviews.invalidate(site.config.siteKey);
    return { recorded, results };
  });
}
