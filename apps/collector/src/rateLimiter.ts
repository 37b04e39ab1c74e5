import type { RateLimitConfig } from './validateConfig.js';

interface Bucket {
  tokens: number;
  at: number;
}

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
      if (this.buckets.size >= 100_000) this.prune(now, perMs, limit.burst);
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
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }

  /** Forgets buckets that have refilled, so memory stays bounded under many client IPs. */
  private prune(now: number, perMs: number, burst: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= burst) this.buckets.delete(key);
    }
  }
}
