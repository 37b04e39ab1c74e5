import { isObject } from '@leadlight/scoring-core';
import { type ConfigProblem, checkUnknownFields, describeValue } from './configProblem.js';

/** Per site+IP rate limit of the site-key endpoints (a token bucket). */
export interface RateLimitConfig {
  /** Sustained requests per minute from one IP for this site. */
  perMinute: number;
  /** Requests allowed in a burst; defaults to a sixth of `perMinute`, at least 10. */
  burst: number;
}

const DEFAULT_RATE_LIMIT: RateLimitConfig = { perMinute: 1200, burst: 200 };
const RATE_FIELDS = new Set(['perMinute', 'burst']);

/** Checks a site's optional `rateLimit`, filling in the defaults; problems go to `out` with their path. */
export function validateRateLimit(input: unknown, path: string, out: ConfigProblem[]): RateLimitConfig {
  if (input === undefined) return { ...DEFAULT_RATE_LIMIT };
  if (!isObject(input)) {
    out.push({ path, message: `expected an object {perMinute, burst?}, got ${describeValue(input)}` });
    return { ...DEFAULT_RATE_LIMIT };
  }
  checkUnknownFields(input, RATE_FIELDS, path, out);
  const { perMinute, burst } = input;
  if (typeof perMinute !== 'number' || !Number.isInteger(perMinute) || perMinute < 1 || perMinute > 1e9) {
    out.push({
      path: `${path}.perMinute`,
      message: `expected an integer from 1 to 1000000000, got ${describeValue(perMinute)}`,
    });
    return { ...DEFAULT_RATE_LIMIT };
  }
  if (
    burst !== undefined &&
    (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1 || burst > 1e9)
  ) {
    out.push({
      path: `${path}.burst`,
      message: `expected an integer from 1 to 1000000000, got ${describeValue(burst)}`,
    });
  }
  return { perMinute, burst: typeof burst === 'number' ? burst : Math.max(10, Math.ceil(perMinute / 6)) };
}
