/** The one error scoring-core throws; `code` says what went wrong. */
export class ScoringError extends Error {
  constructor(
    readonly code: 'model_mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'ScoringError';
  }
}
