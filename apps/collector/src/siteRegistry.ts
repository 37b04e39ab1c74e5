import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hashModel, type ScoringModel } from '@leadlight/scoring-core';
import type { SiteConfig } from './config/validateSite.js';
import type { CollectorConfig } from './validateConfig.js';

/** A site as it runs: its config and the model currently published for it. */
export interface RunningSite {
  config: SiteConfig;
  model: ScoringModel;
  modelHash: string;
}

interface Entry {
  site: RunningSite;
  siteKeyDigest: Buffer;
  secretKeyDigest: Buffer;
  /** A site without a write key gets the digest of random bytes, which no key can match. */
  writeKeyDigest: Buffer;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Looks sites up by site key, secret key or write key in constant time; the kinds never match each other. */
export class SiteRegistry {
  private readonly entries: Entry[];
  private readonly origins: Set<string>;

  constructor(config: CollectorConfig) {
    this.entries = config.sites.map((site) => ({
      site: { config: site, model: site.model, modelHash: hashModel(site.model) },
      siteKeyDigest: digest(site.siteKey),
      secretKeyDigest: digest(site.secretKey),
      writeKeyDigest: site.writeKey === undefined ? randomBytes(32) : digest(site.writeKey),
    }));
    this.origins = new Set(config.sites.flatMap((s) => s.origins));
  }

  /** The site whose public site key this is. */
  bySiteKey(key: string): RunningSite | undefined {
    return this.find(key, 'siteKeyDigest');
  }

  /** The site whose secret key this is. */
  bySecretKey(key: string): RunningSite | undefined {
    return this.find(key, 'secretKeyDigest');
  }

  /** The site whose write key (server-side calls) this is. */
  byWriteKey(key: string): RunningSite | undefined {
    return this.find(key, 'writeKeyDigest');
  }

  /** Every site, for start-up work. */
  all(): RunningSite[] {
    return this.entries.map((e) => e.site);
  }

  /** True when some site lists this origin (used to answer CORS preflights, which carry no key). */
  knowsOrigin(origin: string): boolean {
    return this.origins.has(origin);
  }

  private find(
    key: string,
    field: 'siteKeyDigest' | 'secretKeyDigest' | 'writeKeyDigest',
  ): RunningSite | undefined {
    const candidate = digest(key);
    let found: RunningSite | undefined;
    // Compare against every site without stopping early, so timing says nothing about which key matched.
    for (const entry of this.entries) {
      if (timingSafeEqual(candidate, entry[field]) && !found) found = entry.site;
    }
    return found;
  }
}
