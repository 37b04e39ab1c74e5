/**
 * Query and fragment parameter names whose values never leave the page: a GET form puts its fields in the
 * next URL, OAuth puts codes and tokens in the query or (implicit flow) the fragment, signed S3/GCS URLs carry
 * their signature and credential. Substrings for unmistakable names, whole names for short or common words.
 */
const NAMES =
  /pass|pwd|card|^cc|cvc|cvv|csc|secret|token|csrf|xsrf|auth|ssn|iban|e-?mail|sess(ion|id)|api_?key|signature|^(code|state|key|sig|sid|otp)$|^x-(amz|goog)-/i;

/**
 * `name=value` after `?`, `&`, `#` or `;` (matrix parameters like `;jsessionid=`). A value stops at `?` too,
 * so the parameters of a URL nested unencoded in a value (`?next=/cb?code=…`) are seen.
 */
const PARAM = /([?&#;]([^?&#;=]+)=)[^?&#;]*/g;

// An ASCII email, its `@` raw or percent-encoded once or more (`%40`, `%2540`). An encoded character right
// before it (`%3Djane%40…`) is matched and kept, or its hex digits would be taken for the start of the address.
// The local part is at most 64 characters (RFC 5321), which also keeps long text from costing quadratic time.
const EMAIL =
  /(%(?:25)*[0-7][0-9a-f])?(?:[\w.+-]|%(?:25)*2b){1,64}(?:@|%(?:25)*40)[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;

/**
 * The text (a URL, a path, a title, a prop) with emails replaced by `[email]` and the values of sensitive
 * parameters by `[redacted]` (`code=[redacted]`); `names` are more parameter names, lower-case. Never throws:
 * nothing is decoded.
 */
export function redact(text: string, names: string[]): string {
  return text
    .replace(PARAM, (param, head: string, name: string) =>
      NAMES.test(name) || names.includes(name.toLowerCase()) ? `${head}[redacted]` : param,
    )
    .replace(EMAIL, '$1[email]');
}
