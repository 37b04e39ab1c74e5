import type { RateLimitConfig } from './config/validateRateLimit.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before refilled ones are forgotten (and, failing that, the oldest). */
const MAX_BUCKETS = 100_000;

/** A token bucket per key (site + client IP); the clock is injected so tests control time. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  /** Takes one token; answers 0 when allowed, else the whole seconds to wait before retrying. */
  take(key: string, limit: RateLimitConfig): number {
    const now = this.now();
    const perMs = limit.perMinute / 60_000;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.prune(now, perMs, limit.burst);
      bucket = { tokens: limit.burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(limit.burst, bucket.tokens + (now - bucket.at) * perMs);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return secondsUntilToken(bucket.tokens, perMs);
  }

  /** Like `take`, but only looks: answers 0 when a token is there (leaving it), else the seconds to wait. */
  wait(key: string, limit: RateLimitConfig): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 0;
    const perMs = limit.perMinute / 60_000;
    const tokens = Math.min(limit.burst, bucket.tokens + (this.now() - bucket.at) * perMs);
    return tokens >= 1 ? 0 : secondsUntilToken(tokens, perMs);
  }

  /**
   * Forgets buckets that have refilled, so memory stays bounded under many client IPs; when none has,
   * drops the oldest tenth, so a flood of new addresses cannot make every new key rescan the whole map.
   */
  private prune(now: number, perMs: number, burst: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= burst) this.buckets.delete(key);
    }
    if (this.buckets.size < MAX_BUCKETS * 0.9) return;
    let drop = this.buckets.size - Math.floor(MAX_BUCKETS * 0.9);
    for (const key of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}

function secondsUntilToken(tokens: number, perMs: number): number {
  return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
}
