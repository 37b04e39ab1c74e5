import type { ScoringModel } from '@leadlight/scoring-core';
import { checkModel } from './checkModel.js';
import type { QueueContext } from './queueContext.js';
import { WorkerError } from './workerError.js';

/** The site's scoring model: the copy stored for offline use, refreshed from the collector with its ETag. */
export interface ModelSync {
  /** The model as checked, kept for `useScoring`. */
  model(): ScoringModel | undefined;
  /** Takes the stored copy (read when the queue starts). */
  restore(stored: { etag?: string; model: unknown }): void;
  /** Asks the collector for a newer model; a 304 costs no body. */
  refresh(): Promise<void>;
}

/** Creates the model sync of one queue. */
export function createModelSync({ config, deps, get, score, emit, log }: QueueContext): ModelSync {
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
  return {
    model: () => model,
    restore(stored) {
      try {
        model = checkModel(stored.model);
        score().setModel(model);
        etag = stored.etag;
      } catch (error) {
        unusable(error);
      }
    },
    async refresh() {
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
  };
}
