/** The one error scoring-core throws; `code` says what went wrong. */
export class ScoringError extends Error {
  constructor(
    readonly code: 'model_mismatch' | 'late_event',
    message: string,
  ) {
    super(message);
    this.name = 'ScoringError';
  }
}
