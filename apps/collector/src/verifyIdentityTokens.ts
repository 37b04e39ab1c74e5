import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ParsedBatch, ParsedEvent } from './parseBatch.js';

/**
 * The identity token a site's backend gives its page for a signed-in visitor: the lowercase hex
 * HMAC-SHA256 of the trimmed, lower-cased email, keyed by the site's `identitySecret`.
 */
export function identityToken(identitySecret: string, email: string): string {
  return createHmac('sha256', identitySecret).update(email.trim().toLowerCase()).digest('hex');
}

function tokenError(entry: ParsedEvent, token: unknown, identitySecret: string | undefined): string | null {
  const { event } = entry;
  if (event.type !== 'identify') return 'props.identityToken: only an identify event may carry one';
  const email = event.traits?.email;
  if (typeof email !== 'string' || email.trim() === '')
    return 'props.identityToken: the identify has no traits.email to verify';
  if (identitySecret === undefined)
    return 'props.identityToken: this site has no identitySecret, so no token can verify a visitor';
  const expected = Buffer.from(identityToken(identitySecret, email));
  const given = Buffer.from(typeof token === 'string' ? token : '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return "props.identityToken: does not match traits.email (expected the lowercase hex HMAC-SHA256 of the trimmed, lower-cased email keyed by the site's identitySecret)";
  }
  return null;
}

/**
 * Checks the identity tokens of a browser batch, in place: every token leaves its event before anything
 * is stored; a token that matches its identify's email verifies that event (its id is in the answer);
 * any other token rejects its event, which then verifies and stores nothing.
 */
export function verifyIdentityTokens(batch: ParsedBatch, identitySecret: string | undefined): Set<string> {
  const verified = new Set<string>();
  batch.events = batch.events.filter((entry) => {
    const props = entry.event.props;
    if (props === undefined || !Object.hasOwn(props, 'identityToken')) return true;
    const { identityToken: token, ...rest } = props;
    const { props: _, ...withoutProps } = entry.event;
    entry.event = Object.keys(rest).length > 0 ? { ...withoutProps, props: rest } : withoutProps;
    entry.json = JSON.stringify(entry.event);
    const error = tokenError(entry, token, identitySecret);
    if (error !== null) {
      batch.rejected.push({ index: entry.index, error });
      return false;
    }
    verified.add(entry.event.id);
    return true;
  });
  batch.rejected.sort((a, b) => a.index - b.index);
  return verified;
}
