/** The demo's one error type: a string `code` plus a message that says what was wrong and where. */
export class DemoError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DemoError';
  }
}
