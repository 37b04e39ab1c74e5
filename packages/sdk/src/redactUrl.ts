/** Query parameter names whose values never leave the page (a GET form puts its fields in the next URL). */
const SENSITIVE = /pass|pwd|card|^cc|cvc|cvv|csc|secret|token|csrf|xsrf|auth|ssn|iban/i;

/** The URL with the values of sensitive-looking query parameters replaced by "redacted". */
export function redactUrl(href: string): string {
  if (!href.includes('?')) return href;
  try {
    const url = new URL(href);
    let changed = false;
    for (const key of new Set(url.searchParams.keys())) {
      if (SENSITIVE.test(key)) {
        url.searchParams.set(key, 'redacted');
        changed = true;
      }
    }
    return changed ? url.href : href;
  } catch {
    return href;
  }
}
