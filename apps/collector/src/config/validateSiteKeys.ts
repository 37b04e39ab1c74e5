import { isObject } from '@leadlight/scoring-core';
import { type ConfigProblem, describeValue } from './configProblem.js';

const KEY_PATTERN = /^[A-Za-z0-9_.-]{1,200}$/;
/** Shortest secret key or identity secret accepted: shorter ones can be guessed. */
export const MIN_SECRET_LENGTH = 16;
const GENERATE_SECRET =
  "generate one with: node -e \"console.log(require('crypto').randomBytes(24).toString('base64url'))\" or: openssl rand -hex 24";

/** The problem with a secret that is too short; never repeats the secret itself. */
function tooShort(secret: string): string {
  return `too short (${secret.length} characters): use at least ${MIN_SECRET_LENGTH} random characters; ${GENERATE_SECRET}`;
}

/** Checks a site's keys and secrets: `siteKey`, `secretKey`, `identitySecret`, `writeKey`. */
export function checkSiteKeys(input: Record<string, unknown>, path: string, out: ConfigProblem[]): void {
  const { siteKey, secretKey, identitySecret, writeKey } = input;
  for (const [name, value] of [
    ['siteKey', siteKey],
    ['secretKey', secretKey],
  ] as const) {
    if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
      out.push({
        path: `${path}.${name}`,
        message: `expected 1–200 characters of letters, digits, "_", "-" or ".", got ${name === 'secretKey' && typeof value === 'string' ? 'another string' : describeValue(value)}`,
      });
    } else if (name === 'secretKey' && value.length < MIN_SECRET_LENGTH) {
      out.push({ path: `${path}.secretKey`, message: tooShort(value) });
    }
  }
  if (identitySecret !== undefined) {
    if (typeof identitySecret !== 'string') {
      out.push({
        path: `${path}.identitySecret`,
        message: `expected a string of at least ${MIN_SECRET_LENGTH} characters, got ${describeValue(identitySecret)}`,
      });
    } else if (identitySecret.length < MIN_SECRET_LENGTH) {
      out.push({ path: `${path}.identitySecret`, message: tooShort(identitySecret) });
    }
  }
  if (writeKey !== undefined) {
    if (typeof writeKey !== 'string' || !KEY_PATTERN.test(writeKey)) {
      out.push({
        path: `${path}.writeKey`,
        message: `expected 16–200 characters of letters, digits, "_", "-" or ".", got ${describeValue(writeKey)}`,
      });
    } else if (writeKey.length < MIN_SECRET_LENGTH) {
      out.push({ path: `${path}.writeKey`, message: tooShort(writeKey) });
    }
  }
}

/** Checks keys across sites: each unique, and no public site key doubling as anyone's secret. */
export function checkKeyClashes(sites: unknown[], errors: ConfigProblem[]): void {
  const siteKeys = new Map<string, number>();
  const secretKeys = new Map<string, number>();
  const duplicates = [
    ['siteKey', 'site key', siteKeys],
    ['secretKey', 'secret key', secretKeys],
  ] as const;
  sites.forEach((site, i) => {
    if (!isObject(site)) return;
    for (const [field, name, seen] of duplicates) {
      const key = site[field];
      if (typeof key !== 'string') continue;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        errors.push({
          path: `sites[${i}].${field}`,
          message: `duplicate ${name} (also sites[${first}].${field})`,
        });
    }
  });
  sites.forEach((site, i) => {
    if (!isObject(site)) return;
    if (typeof site.siteKey === 'string') {
      const clash = secretKeys.get(site.siteKey);
      if (clash !== undefined) {
        errors.push({
          path: `sites[${i}].siteKey`,
          message: `equals the secret key of sites[${clash}]: site keys are public, secret keys must differ from every site key`,
        });
      }
    }
    if (typeof site.writeKey === 'string') {
      const clash = siteKeys.get(site.writeKey) ?? secretKeys.get(site.writeKey);
      if (clash !== undefined) {
        errors.push({
          path: `sites[${i}].writeKey`,
          message: `equals a site key or secret key of sites[${clash}]: the write key must be a key of its own`,
        });
      }
    }
    if (typeof site.identitySecret === 'string') {
      const clash = siteKeys.get(site.identitySecret);
      if (clash !== undefined) {
        errors.push({
          path: `sites[${i}].identitySecret`,
          message: `equals the site key of sites[${clash}]: site keys are public, so anyone could sign identity tokens`,
        });
      }
    }
  });
}
