import { createHash } from 'node:crypto';

/**
 * The key under which an erased browser or email is suppressed: SHA-256 of the site, the kind and the
 * value, so the list never holds the clear value and one site's keys say nothing about another's.
 */
export function suppressionKey(siteKey: string, kind: 'anonymousId' | 'email', value: string): string {
  const normalized = kind === 'email' ? value.trim().toLowerCase() : value;
  return createHash('sha256').update(`${siteKey}\n${kind}\n${normalized}`).digest('hex');
}

/** The hex SHA-256 of a trimmed, lower-cased email: what a CRM computes to match a `lead.erased` webhook. */
export function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
