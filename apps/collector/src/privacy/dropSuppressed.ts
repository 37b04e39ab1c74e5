import type { ParsedBatch } from '../parseBatch.js';
import type { RunningSite } from '../siteRegistry.js';
import type { Storage } from '../storage/storage.js';
import { suppressionKey } from './suppressionKey.js';

function emailOf(traits: Record<string, unknown> | undefined): string | null {
  const email = traits?.email;
  return typeof email === 'string' && email.trim() !== '' ? email : null;
}

/**
 * Under `erasure: {suppress: true}`, takes out of the batch the events of erased browsers and the
 * identifies that carry an erased email, and answers their ids (acknowledged, never stored, so the
 * browser queue lets them go). A site without suppression pays nothing.
 */
export async function dropSuppressed(
  storage: Storage,
  site: RunningSite,
  batch: ParsedBatch,
): Promise<string[]> {
  if (!site.config.erasure.suppress || batch.events.length === 0) return [];
  const siteKey = site.config.siteKey;
  const keys = new Map<string, string>();
  for (const { event } of batch.events) {
    keys.set(suppressionKey(siteKey, 'anonymousId', event.anonymousId), event.anonymousId);
    const email = event.type === 'identify' ? emailOf(event.traits) : null;
    if (email !== null) keys.set(suppressionKey(siteKey, 'email', email), email);
  }
  const hits = await storage.suppressed(siteKey, [...keys.keys()]);
  if (hits.size === 0) return [];
  const dropped: string[] = [];
  batch.events = batch.events.filter(({ event }) => {
    const email = event.type === 'identify' ? emailOf(event.traits) : null;
    const suppressed =
      hits.has(suppressionKey(siteKey, 'anonymousId', event.anonymousId)) ||
      (email !== null && hits.has(suppressionKey(siteKey, 'email', email)));
    if (suppressed) dropped.push(event.id);
    return !suppressed;
  });
  return dropped;
}
