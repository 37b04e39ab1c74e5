/** What went wrong, as a stable string a caller can switch on. */
export type LeadlightErrorCode = 'invalid_options' | 'invalid_call' | 'not_initialized' | 'internal';

/** The SDK's one error type; it is logged in debug mode and never thrown into the host page. */
export class LeadlightError extends Error {
  readonly code: LeadlightErrorCode;
  constructor(code: LeadlightErrorCode, message: string) {
    super(message);
    this.name = 'LeadlightError';
    this.code = code;
  }
}
