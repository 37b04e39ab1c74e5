import { hashModel, validateModel } from '@leadlight/scoring-core';
import type { PublishAnswer } from '@leadlight/scoring-core/wire';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../appContext.js';
import { CollectorError } from '../collectorError.js';
import { requireSecret } from '../requestAuth.js';
import { rescoreSite } from '../rescoreSite.js';

/** Registers `PUT /v1/model`: publishes a site's scoring model and rescores its contacts. */
export function registerModelRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.put('/v1/model', async (request): Promise<PublishAnswer> => {
    const { site } = await requireSecret(ctx, request);
    const checked = validateModel(request.body);
    if (!checked.ok) {
      const first = checked.errors[0];
      throw new CollectorError(
        'bad_request',
        checked.errors.map((e) => `${e.path === '' ? 'model' : e.path}: ${e.message}`).join('; ') ||
          `model: ${first?.message}`,
      );
    }
    const hash = hashModel(checked.model);
    if (hash !== site.modelHash) {
      await ctx.storage.saveModel(site.config.siteKey, {
        model: checked.model,
        hash,
        source: 'api',
        createdAt: ctx.now(),
      });
      site.model = checked.model;
      site.modelHash = hash;
    }
    const rescored = await rescoreSite(ctx, site);
    return { modelHash: hash, modelVersion: checked.model.version, rescored };
  });
}
