import type { LiveEvent } from '@leadlight/scoring-core/wire';

type Listener = (event: LiveEvent) => void;

/** Carries live events between collector processes (PostgreSQL LISTEN/NOTIFY); absent with SQLite. */
export interface LiveRelay {
  /** Sends this process's events to the other processes. */
  send(siteKey: string, events: LiveEvent[]): void;
  /** Registers where events from other processes go. */
  listen(deliver: (siteKey: string, events: LiveEvent[]) => void): void;
}

/** In-process publish/subscribe of score and stage changes, per site (fanned out through a relay when given). */
export class LiveHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly relay: LiveRelay | undefined;

  constructor(relay?: LiveRelay) {
    this.relay = relay;
    relay?.listen((siteKey, events) => this.deliver(siteKey, events));
  }

  /** Subscribes to one site's changes; answers the unsubscribe function. */
  subscribe(siteKey: string, listener: Listener): () => void {
    let set = this.listeners.get(siteKey);
    if (!set) {
      set = new Set();
      this.listeners.set(siteKey, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(siteKey);
    };
  }

  /** Sends events to the site's subscribers (after the transaction that made them committed). */
  publish(siteKey: string, events: LiveEvent[]): void {
    this.deliver(siteKey, events);
    this.relay?.send(siteKey, events);
  }

  private deliver(siteKey: string, events: LiveEvent[]): void {
    const set = this.listeners.get(siteKey);
    if (!set) return;
    for (const event of events) for (const listener of set) listener(event);
  }

  /** Number of subscribers of a site. */
  count(siteKey: string): number {
    return this.listeners.get(siteKey)?.size ?? 0;
  }
}
