import type { ScoringModel } from '@leadlight/scoring-core';
import { checkModel } from './checkModel.js';
import type { QueueConfig } from './protocol.js';
import type { ProvisionalScore } from './provisionalScore.js';
import type { QueueDeps } from './queueDeps.js';
import { WorkerError } from './workerError.js';

/**
 * The site's scoring model: the copy stored for offline use, refreshed from the collector with its ETag. Three
 * functions, not an object: the bundles' minifier cannot shorten property names.
 */
export type ModelSync = [
  /** Takes the stored copy (read when the queue starts). */
  restore: (stored: { etag?: string; model: unknown }) => void,
  /** Asks the collector for a newer model; a 304 costs no body. */
  refresh: () => Promise<void>,
  /** The model as checked, kept for `useScoring`. */
  model: () => ScoringModel | undefined,
];

/**
 * Creates the model sync of one queue: `get` GETs a collector path, `score` is the provisional score of the moment
 * (it gets each model as checked), `emit` tells the page of the score a refreshed model changed.
 */
export function createModelSync(
  config: QueueConfig,
  deps: Pick<QueueDeps, 'store' | 'warn'>,
  get: (path: string, headers?: Record<string, string>) => Promise<Response>,
  score: () => ProvisionalScore,
  emit: () => void,
  log: (message: string, detail?: unknown) => void,
): ModelSync {
  let model: ScoringModel | undefined;
  let etag: string | undefined;
  let warned = false;
  const unusable = (error: unknown) => {
    log('model unusable', error);
    if (error instanceof WorkerError && error.code === 'unsupported_model' && !warned) {
      warned = true;
      deps.warn?.(error.message);
    }
  };
  return [
    (stored) => {
      try {
        model = checkModel(stored.model);
        score().setModel(model);
        etag = stored.etag;
      } catch (error) {
        unusable(error);
      }
    },
    async () => {
      try {
        const response = await get(
          `/v1/model?siteKey=${encodeURIComponent(config.siteKey)}`,
          etag ? { 'if-none-match': etag } : {},
        );
        if (response.status === 304 || !response.ok) return;
        const body = (await response.json()) as Record<string, unknown>;
        model = checkModel(body && typeof body.model === 'object' ? body.model : body);
        etag = response.headers.get('etag') ?? undefined;
        score().setModel(model);
        await deps.store.setMeta('model', { etag, model });
        emit();
      } catch (error) {
        unusable(error);
      }
    },
    () => model,
  ];
}
