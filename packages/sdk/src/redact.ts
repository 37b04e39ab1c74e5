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
const PARAM = /([?&#;])([^?&#;=]+)=[^?&#;]*/g;

// An email with its `@` raw or percent-encoded once or more (`%40`, `%2540`), and non-ASCII letters raw or
// encoded (`%C3%A9`). An encoded ASCII character right before it (`%3Djane%40…`) is matched and kept, or its
// hex digits would be taken for the start of the address.
const ANY = /@|%(25)*40/i;
const EMAIL =
  /(%(?:25)*[0-7][0-9a-f])?(?:[\p{L}\p{N}_.+-]|%(?:25)*(?:2b|[89a-f][0-9a-f])){1,64}(?:@|%(?:25)*40)(?:[\p{L}\p{N}_-]|%(?:25)*[89a-f][0-9a-f])+(?:\.(?:[\p{L}\p{N}_-]|%(?:25)*[89a-f][0-9a-f])+)*\.(?:\p{L}|%(?:25)*[89a-f][0-9a-f]){2,}/giu;

/**
 * The text (a URL, a path, a title, a prop) with emails replaced by `[email]` and the values of sensitive
 * parameters by `[redacted]` (`code=[redacted]`); `names` are more parameter names, lower-case. Never throws:
 * nothing is decoded.
 */
export function redact(text: string, names: string[]): string {
  text = text.replace(PARAM, (param, separator: string, name: string) =>
    NAMES.test(name) || names.includes(name.toLowerCase()) ? `${separator}${name}=[redacted]` : param,
  );
  return ANY.test(text) ? text.replace(EMAIL, '$1[email]') : text;
}
