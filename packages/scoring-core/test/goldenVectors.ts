import type { EvaluateOptions, ScoreResult, TrackedEvent } from '../src/index.js';
import vectors from './golden-vectors.json' with { type: 'json' };

/** One golden vector: hand-computed expectations that the worker and collector tests reuse. */
export interface GoldenVector {
  name: string;
  model: unknown;
  events: TrackedEvent[];
  options: EvaluateOptions;
  expected: Omit<ScoreResult, 'modelHash'>;
}

export const goldenVectors = vectors as unknown as GoldenVector[];
