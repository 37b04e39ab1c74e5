import { SCORING_FEATURES, type ScoringModel } from '@leadlight/scoring-core';
import { WorkerError } from './workerError.js';

/**
 * Checks the shape of a model the collector served: it validated the model in full when it was
 * published (scoring-core's `validateModel`), so the worker keeps its bytes and checks only what it
 * reads before trusting a cached or fetched copy. Throws a WorkerError naming the field.
 */
export function checkModel(input: unknown): ScoringModel {
  const fail = (path: string, expected: string) => {
    throw new WorkerError('invalid_model', `model.${path}: expected ${expected}`);
  };
  if (!input || typeof input !== 'object') fail('', 'an object');
  const model = input as Record<string, unknown>;
  if (typeof model.version !== 'string') fail('version', 'a string');
  if (model.halfLifeDays !== undefined && !(Number(model.halfLifeDays) > 0))
    fail('halfLifeDays', 'a positive number');
  for (const key of ['rules', 'fit'] as const) {
    const list = model[key];
    if (!Array.isArray(list)) fail(key, 'a list');
    (list as unknown[]).forEach((rule, i) => {
      const r = rule as Record<string, unknown> | null;
      if (!r || typeof r.id !== 'string') fail(`${key}[${i}].id`, 'a string');
      if (typeof r!.points !== 'number' || !Number.isFinite(r!.points))
        fail(`${key}[${i}].points`, 'a number');
    });
  }
  if (!model.mql || typeof model.mql !== 'object') fail('mql', 'an object');
  // A model needing a feature this build does not know would be read wrongly: refuse it, and the
  // collector's score is shown instead.
  for (const feature of Array.isArray(model.requires) ? model.requires : []) {
    if (!SCORING_FEATURES.includes(feature)) {
      throw new WorkerError(
        'unsupported_model',
        `model.requires: this worker cannot score "${String(feature)}"; showing the collector's score (update leadlight-sw.js)`,
      );
    }
  }
  return model as unknown as ScoringModel;
}
