import type { TrackedEvent } from '@leadlight/scoring-core';
import { batchBody } from './batchBody.js';
import { createBatchSender, type QueueCounters } from './batchSender.js';
import { createDropCounter, type DropCounts, NO_DROPS } from './dropCounter.js';
import { fetchWithTimeout } from './fetchWithTimeout.js';
import {
  compareQueued,
  type QueuedEvent,
  selectBatch,
  selectBeacon,
  selectVictims,
  toQueued,
} from './flushPolicy.js';
import { createModelSync } from './modelSync.js';
import type {
  FlushResult,
  PeerMessage,
  QueueApi,
  QueueConfig,
  QueueStats,
  ScoreSnapshot,
} from './protocol.js';
import type { QueueDeps } from './queueDeps.js';
import type { QueueScoring } from './queueScoring.js';
import { createScoreSync } from './scoreSync.js';
import { writeWithinQuota } from './writeWithinQuota.js';

/** The queue engine: the same code runs in the service worker and, as a fallback, in the page. */
export interface EventQueue extends QueueApi {
  /** Loads the stored queue, model and snapshot; then refreshes the model and drains. */
  start(): Promise<void>;
  /** Sends now if nothing holds it back (backoff, another sender); resolves when this pass ends. */
  drain(): Promise<void>;
  /** The network is back: retries at once unless the collector asked to wait (Retry-After). */
  resume(): Promise<void>;
  /** A message from another instance of the site's queue. */
  receive(message: PeerMessage): void;
  /** `pagehide`: one beacon under the keepalive quota with the events most at risk; false when not sent. */
  beacon(extra: TrackedEvent[]): boolean;
  /** Starts scoring on the device: the queued events fold into the collector's snapshot from now on. */
  useScoring(scoring: QueueScoring): void;
  close(): void;
}

/** keepalive requests and beacons share a 64 KiB quota per page: each body stays under this. */
export const BEACON_MAX_BYTES = 60_000;
/** Creates the queue engine for one site. */
export function createEventQueue(config: QueueConfig, deps: QueueDeps): EventQueue {
  const { store } = deps;
  const { limits } = config;
  let scoring = deps.scoring;
  let score = scoring.createProvisionalScore();
  const known = new Map<string, QueuedEvent>();
  let mirrored = false;
  const counters: QueueCounters = { acked: 0, rejected: 0, batches: 0, retries: 0 };
  // Deleting acknowledged events overlaps the next request; a pass awaits it before reading the store.
  let deletes: Promise<void> = Promise.resolve();
  const deleteLater = (ids: string[]) => {
    deletes = deletes
      .then(() => store.deleteEvents(ids))
      .catch((error) => log('delete failed (resent, deduplicated)', error));
  };
  let timer: unknown;
  let timerAt = 0;
  let draining: Promise<void> | undefined;
  let closed = false;
  let lastScore = '';
  let ready: Promise<void> | undefined;
  /**
   * Counts purges (consent denied, here or in a peer). Work begun before one (a store read, an add, a pass
   * holding its list of records) must neither keep nor send what it read: the purge is final from its start.
   */
  let purges = 0;
  const log = deps.log ?? (() => {});

  const emit = () => {
    const result = score.result(deps.now());
    if (!result) return;
    const json = JSON.stringify(result);
    if (json === lastScore) return;
    lastScore = json;
    deps.emitScore(result);
  };

  const drops = createDropCounter(store, log);
  const [dropCounts, countDrops, , restoreDrops] = drops;
  /** A request to the collector, with the queue's timeout. */
  const request = (path: string, init: RequestInit) =>
    fetchWithTimeout(deps, `${config.endpoint}${path}`, init, limits.requestTimeoutMs);
  const get = (path: string, headers: Record<string, string> = {}) => request(path, { headers });
  const scoreNow = () => score;
  const purgesNow = () => purges;
  const [restoreModel, refreshModel, model] = createModelSync(config, deps, get, scoreNow, emit, log);
  const [adopt, refreshSnapshot] = createScoreSync(config, deps, get, scoreNow, purgesNow, emit, log);
  const [send, backOff, retryAt, succeeded, skipBackoff] = createBatchSender(
    config,
    deps,
    request,
    counters,
    drops,
    adopt,
    deleteLater,
    scoreNow,
    purgesNow,
    log,
  );

  const stopTimer = () => {
    if (timer !== undefined) deps.clearTimeout(timer);
    timer = undefined;
  };
  const schedule = (ms: number) => {
    if (closed || !config.send) return;
    const at = deps.now() + ms;
    if (timer !== undefined && timerAt <= at) return;
    stopTimer();
    timerAt = at;
    timer = deps.setTimeout(() => {
      timer = undefined;
      void drain();
    }, ms);
  };

  /** Sends again once the backoff (ours or the collector's) is over. */
  const scheduleRetry = () => schedule(Math.max(0, retryAt() - deps.now()));
  const sortedKnown = () => [...known.values()].sort(compareQueued);
  const knownBytes = () => {
    let bytes = 0;
    for (const r of known.values()) bytes += r.bytes;
    return bytes;
  };

  // Reads the stored queue, drops what is past the caps (counted) and mirrors the rest in memory.
  const loadAndTrim = async (): Promise<QueuedEvent[]> => {
    // After a pending purge's clear: a read begun before it would bring purged events back.
    await deletes;
    const purge = purges;
    const records = await store.loadEvents();
    if (purge !== purges) return [];
    const victims = selectVictims(records, limits, deps.now());
    if (victims.length) {
      await store.deleteEvents(victims.map((r) => r.id));
      countDrops(victims.length);
      log(`caps: dropped ${victims.length}`);
    }
    const gone = new Set(victims.map((r) => r.id));
    // Merge, never replace: events added while the read was in flight are in memory, not in `records`.
    for (const r of records) if (!gone.has(r.id) && !known.has(r.id)) known.set(r.id, r);
    for (const id of gone) known.delete(id);
    mirrored = true;
    return sortedKnown();
  };

  const sendAll = async () => {
    await deletes;
    // The memory mirror is complete once loaded (this context's adds and its peers' news keep it so):
    // reading 10k records back from IndexedDB for every pass would cost more than sending them.
    let records = mirrored ? sortedKnown() : await loadAndTrim();
    let maxEvents = limits.batchMaxEvents;
    while (records.length && !closed) {
      // Only what is still queued: a purge (or a peer's acknowledgement) during this pass forgot the rest.
      records = records.filter((r) => known.has(r.id));
      if (!records.length) break;
      const wait = retryAt() - deps.now();
      if (wait > 0) {
        schedule(wait);
        return;
      }
      const batch = selectBatch(records, maxEvents, limits.batchMaxBytes);
      const outcome = await send(batch);
      if (outcome === 'retry' || outcome === 'blocked') {
        scheduleRetry();
        return;
      }
      if (outcome === 'split') {
        maxEvents = Math.max(1, Math.ceil(batch.length / 2));
        continue;
      }
      succeeded();
      maxEvents = limits.batchMaxEvents;
      const gone = new Set(outcome.removed);
      for (const id of gone) known.delete(id);
      records = records.filter((r) => !gone.has(r.id));
      // Refolding a large remainder after every answer would cost more than it tells: score at the end.
      if (records.length <= limits.batchMaxEvents) emit();
      if (!records.length) {
        await deletes;
        records = await loadAndTrim();
      }
    }
    await deletes;
    emit();
  };

  // The network is back, or someone asked to send now: skip our own backoff (not the collector's).
  const nudge = () => {
    skipBackoff();
    return drain();
  };

  // One pass at a time in this context; calls during a pass coalesce into one follow-up pass, so a
  // flush always sees the events added before it.
  let followUp: Promise<void> | undefined;
  const drain = (): Promise<void> => {
    if (closed || !config.send) return Promise.resolve();
    if (draining) {
      followUp ??= draining.then(() => {
        followUp = undefined;
        return drain();
      });
      return followUp;
    }
    draining = (async () => {
      await ready;
      const ran = await deps.withSendLock(sendAll);
      // Another tab is sending; it may stop before seeing our newest events, so look again later.
      if (!ran) schedule(limits.batchDelayMs);
    })()
      .catch((error) => {
        log('drain failed; retrying', error);
        backOff(undefined);
        scheduleRetry();
      })
      .finally(() => {
        draining = undefined;
      });
    return draining;
  };

  let started: Promise<void> | undefined;
  const start = () => {
    if (started) return started;
    ready = (async () => {
      const [stored, snapshot, saved] = await Promise.all([
        store.getMeta<{ etag?: string; model: unknown }>('model'),
        store.getMeta<ScoreSnapshot>('snapshot'),
        store.getMeta<DropCounts>('dropped'),
      ]);
      if (stored) restoreModel(stored);
      if (snapshot) score.setSnapshot(snapshot);
      if (saved) restoreDrops(saved);
      if (config.send) for (const r of await loadAndTrim()) score.add(r.event);
    })();
    started = ready.then(() => {
      emit();
      void refreshModel().then(refreshSnapshot);
      void drain();
    });
    return started;
  };

  const add = async (events: TrackedEvent[]) => {
    // Events handed over before a purge that overtook this call are purged with the rest.
    const purge = purges;
    await start();
    if (purge !== purges) return;
    const fresh: QueuedEvent[] = [];
    for (const input of events) {
      const checked = scoring.validateEvent(input);
      if (!checked.ok) {
        counters.rejected++;
        log(`event refused: ${checked.error}`);
        continue;
      }
      const { event } = checked;
      if (known.has(event.id)) continue;
      const anonymousBefore = score.anonymousId();
      fresh.push(toQueued(event, score.add(event), deps.now()));
      if (score.anonymousId() !== anonymousBefore) void refreshSnapshot();
    }
    if (!config.send) {
      // Local-only: nothing is queued; the folded state is the record and becomes the next base. Until
      // scoring arrives (an in-page queue loads it at once in this mode) events wait here, in memory.
      if (!scoring.device) held.push(...fresh.map((r) => r.event));
      await keepLocal();
      return;
    }
    if (!fresh.length) return;
    const forgetDropped = (ids: Set<string>) => {
      for (const id of ids) known.delete(id);
    };
    const stored = await writeWithinQuota(fresh, deps, limits, countDrops, forgetDropped, log);
    if (purge !== purges) {
      deleteLater(stored.map((r) => r.id));
      return;
    }
    for (const r of stored) known.set(r.id, r);
    deps.postPeers?.({ t: 'events', events: stored.map((r) => r.event) });
    emit();
    if (known.size > limits.maxEvents || knownBytes() > limits.maxBytes) await loadAndTrim();
    schedule(known.size >= limits.batchMaxEvents ? 0 : limits.batchDelayMs);
  };

  /** Local-only mode: the folded state becomes the next base (nothing is queued or sent). */
  const held: TrackedEvent[] = [];
  const keepLocal = async () => {
    const state = score.state();
    const anonymousId = score.anonymousId();
    const result = score.result(deps.now());
    if (state && anonymousId && result) {
      await store.setMeta('snapshot', { anonymousId, state: structuredClone(state), score: result });
    }
    emit();
  };

  /** The visitor's score and drop counts, forgotten (consent denied). */
  const resetScore = () => {
    score.reset();
    restoreDrops(NO_DROPS);
    lastScore = '';
  };
  /** Consent denied: forgets at once, in memory, everything queued and the visitor's score (the store follows). */
  const forget = () => {
    purges++;
    stopTimer();
    known.clear();
    held.length = 0;
    resetScore();
  };

  const stats = async (): Promise<QueueStats> => {
    await start();
    return {
      pending: known.size,
      pendingBytes: knownBytes(),
      ...counters,
      dropped: dropCounts().unreported,
      droppedTotal: dropCounts().total,
      retryAt: retryAt() > deps.now() ? retryAt() : 0,
    };
  };

  return {
    start,
    add,
    drain,
    resume: nudge,
    stats,
    async flush(): Promise<FlushResult> {
      await start();
      const before = counters.acked;
      await nudge();
      return { sent: counters.acked - before, pending: known.size };
    },
    async score() {
      await start();
      return score.result(deps.now());
    },
    // Synchronous in memory, so no pass (here or, told over the peer channel, in another tab or worker version)
    // builds a batch of purged events once this is called; reads of the store wait for the clear.
    async purge() {
      forget();
      deps.postPeers?.({ t: 'purged' });
      const cleared = deletes.then(() => store.clearAll());
      deletes = cleared.catch((error) => log('purge failed', error));
      await start();
      // What starting loaded meanwhile (a snapshot, drop counts) belonged to the purged visitor too.
      resetScore();
      await cleared;
    },
    receive(message) {
      if (message.t === 'events') {
        for (const event of message.events) {
          if (known.has(event.id)) continue;
          known.set(event.id, toQueued(event, score.add(event), deps.now()));
        }
        emit();
      } else if (message.t === 'acked') {
        for (const id of message.ids) known.delete(id);
        score.acknowledge(message.ids, message.snapshot);
        emit();
      } else if (message.t === 'purged') {
        // The peer clears the shared store; this copy must not send what it still mirrors.
        forget();
      }
    },
    beacon(extra) {
      if (!config.send || !deps.sendBeacon) return false;
      const records = [...known.values()];
      for (const event of extra) if (!known.has(event.id)) records.push(toQueued(event, false, deps.now()));
      const chosen = selectBeacon(records, BEACON_MAX_BYTES - 200);
      if (!chosen.length) return false;
      // The answer is never seen, so nothing leaves the queue: the next page view resends and the
      // collector deduplicates by id.
      return deps.sendBeacon(`${config.endpoint}/v1/batch`, batchBody(config, deps.now(), chosen));
    },
    useScoring(next) {
      if (scoring === next) return;
      const base = score.snapshot();
      scoring = next;
      score = next.createProvisionalScore();
      const checked = model();
      if (checked) score.setModel(checked);
      if (base) score.setSnapshot(base);
      for (const r of sortedKnown()) score.add(r.event);
      for (const event of held.splice(0)) score.add(event);
      // Local-only keeps the folded state as its base; otherwise the collector's snapshot stays the base.
      if (config.send) emit();
      else void keepLocal();
    },
    close() {
      closed = true;
      stopTimer();
    },
  };
}
