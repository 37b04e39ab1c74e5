import type { ScoreResult, ScoringModel, TrackedEvent } from '@leadlight/scoring-core';
import { checkModel } from './checkModel.js';
import {
  backoffDelay,
  compareQueued,
  parseRetryAfter,
  type QueuedEvent,
  selectBatch,
  selectBeacon,
  selectVictims,
} from './flushPolicy.js';
import type {
  FlushResult,
  PeerMessage,
  QueueApi,
  QueueConfig,
  QueueStats,
  ScoreSnapshot,
} from './protocol.js';
import type { QueueScoring } from './queueScoring.js';
import type { QueueStore } from './queueStore.js';
import { WorkerError } from './workerError.js';

/** What the queue needs from its surroundings; tests swap each one (TanStack-style injection). */
export interface QueueDeps {
  store: QueueStore;
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** Runs `send` holding the site's send lock; resolves false without running it when another context holds it. */
  withSendLock: (send: () => Promise<void>) => Promise<boolean>;
  /** Receives every provisional-score change. */
  emitScore: (score: ScoreResult) => void;
  /** Tells the site's other queue instances (other tabs, in page mode). */
  postPeers?: (message: PeerMessage) => void;
  /** Asks for a Background Sync, so the browser wakes the worker when the network returns. */
  requestSync?: () => void;
  sendBeacon?: (url: string, body: string) => boolean;
  log?: (message: string, detail?: unknown) => void;
  /** Told once, also outside debug mode, when the model needs a feature this build cannot score. */
  warn?: (message: string) => void;
  /** `deviceScoring`, or `snapshotScoring` (the collector's snapshots) until `useScoring` brings the former. */
  scoring: QueueScoring;
}

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
const SCORE_CHANGING = new Set(['identify', 'form_submit']);
const PAGE_LEVEL = new Set(['page_view', 'download', 'cta_click', 'form_start', 'form_abandon']);
const encoder = new TextEncoder();

interface DropCounter {
  unreported: number;
  total: number;
}

type SendOutcome = { removed: string[] } | 'retry' | 'split' | 'blocked';

/** Creates the queue engine for one site. */
export function createEventQueue(config: QueueConfig, deps: QueueDeps): EventQueue {
  const { store, limits } = { store: deps.store, limits: config.limits };
  let scoring = deps.scoring;
  let score = scoring.createProvisionalScore();
  /** The model as checked, kept for `useScoring`. */
  let model: ScoringModel | undefined;
  const known = new Map<string, QueuedEvent>();
  let mirrored = false;
  const counters = { acked: 0, rejected: 0, batches: 0, retries: 0 };
  let dropped: DropCounter = { unreported: 0, total: 0 };
  let attempt = 0;
  let retryAt = 0;
  // What the collector asked for (Retry-After): a nudge (online, flush) may skip our backoff, not this.
  let serverHold = 0;
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
  let modelEtag: string | undefined;
  let ready: Promise<void> | undefined;
  /**
   * Counts purges (consent denied, here or in a peer). Work begun before one (a store read, an add, a pass
   * holding its list of records) must neither keep nor send what it read: the purge is final from its start.
   */
  let purges = 0;
  const log = deps.log ?? (() => {});
  let warned = false;
  const modelUnusable = (error: unknown) => {
    log('model unusable', error);
    if (error instanceof WorkerError && error.code === 'unsupported_model' && !warned) {
      warned = true;
      deps.warn?.(error.message);
    }
  };

  const emit = () => {
    const result = score.result(deps.now());
    if (!result) return;
    const json = JSON.stringify(result);
    if (json === lastScore) return;
    lastScore = json;
    deps.emitScore(result);
  };

  const persistDrops = () =>
    store.setMeta('dropped', dropped).catch((error) => log('drop counter not saved', error));
  const countDrops = (n: number) => {
    if (n <= 0) return;
    dropped = { unreported: dropped.unreported + n, total: dropped.total + n };
    void persistDrops();
  };

  const schedule = (ms: number) => {
    if (closed || !config.send) return;
    const at = deps.now() + ms;
    if (timer !== undefined && timerAt <= at) return;
    if (timer !== undefined) deps.clearTimeout(timer);
    timerAt = at;
    timer = deps.setTimeout(() => {
      timer = undefined;
      void drain();
    }, ms);
  };

  const toRecord = (event: TrackedEvent, changed: boolean): QueuedEvent => {
    const priority = changed || SCORE_CHANGING.has(event.type) ? 2 : PAGE_LEVEL.has(event.type) ? 1 : 0;
    return {
      id: event.id,
      event,
      bytes: encoder.encode(JSON.stringify(event)).length,
      priority,
      at: deps.now(),
    };
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
    return [...known.values()].sort(compareQueued);
  };

  const isQuotaError = (error: unknown) =>
    error instanceof DOMException && (error.name === 'QuotaExceededError' || error.code === 22);

  // A write is one transaction, so a QuotaExceededError leaves the store intact: make room by dropping the
  // lowest-value events (stored or new), counted, and try again with what is left.
  const writeRecords = async (fresh: QueuedEvent[]) => {
    let batch = fresh;
    for (let round = 0; batch.length; round++) {
      try {
        await store.putEvents(batch);
        return batch;
      } catch (error) {
        if (!isQuotaError(error) || round >= 4) {
          countDrops(batch.length);
          log('could not store events; dropped', error);
          return [];
        }
        const stored = await store.loadEvents();
        const all = [...stored, ...batch];
        const keep = Math.floor(all.length * 0.75);
        const victims = selectVictims(all, { ...limits, maxEvents: keep }, deps.now());
        const gone = new Set(victims.map((r) => r.id));
        await store.deleteEvents(stored.filter((r) => gone.has(r.id)).map((r) => r.id));
        for (const id of gone) known.delete(id);
        countDrops(victims.length);
        batch = batch.filter((r) => !gone.has(r.id));
        log(`quota: dropped ${victims.length}`);
      }
    }
    return batch;
  };

  const fetchWithTimeout = async (url: string, init: RequestInit): Promise<Response> => {
    const abort = new AbortController();
    const handle = deps.setTimeout(() => abort.abort(), limits.requestTimeoutMs);
    try {
      return await deps.fetch(url, { ...init, signal: abort.signal });
    } finally {
      deps.clearTimeout(handle);
    }
  };

  const backOff = (retryAfterMs: number | undefined): SendOutcome => {
    const jitter = backoffDelay(attempt, limits, deps.random);
    attempt++;
    counters.retries++;
    if (retryAfterMs !== undefined) serverHold = deps.now() + retryAfterMs;
    retryAt = Math.max(deps.now() + jitter, serverHold);
    return 'retry';
  };

  const adoptSnapshot = (anonymousId: string, answer: Record<string, unknown>) => {
    const state = answer.state as ScoreSnapshot['state'] | undefined;
    const result = answer.score as ScoreResult | undefined;
    if (!state || typeof state !== 'object' || state.v !== 1 || !result || typeof result !== 'object') {
      return undefined;
    }
    const snapshot: ScoreSnapshot = { anonymousId, state, score: result };
    void store.setMeta('snapshot', snapshot).catch((error) => log('score not cached', error));
    return snapshot;
  };

  const sendBatch = async (batch: QueuedEvent[]): Promise<SendOutcome> => {
    const purge = purges;
    const reported = dropped.unreported;
    const body = JSON.stringify({
      siteKey: config.siteKey,
      sentAt: deps.now(),
      anonymousId: batch[0]!.event.anonymousId,
      events: batch.map((r) => r.event),
      ...(reported ? { dropped: reported } : {}),
      ...(config.automated ? { automated: true } : {}),
    });
    let response: Response;
    try {
      // text/plain keeps the request "simple": no CORS preflight per batch.
      response = await fetchWithTimeout(`${config.endpoint}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body,
      });
    } catch (error) {
      log('batch failed; retrying', error);
      // Only a network failure asks for Background Sync: the browser then wakes the worker when it is
      // online again. A 5xx answer while online would make the sync fire at once, defeating the backoff.
      deps.requestSync?.();
      return backOff(undefined);
    }
    counters.batches++;
    const { status } = response;
    if (status === 400 || status === 413) {
      // A poison event or an oversized body: split until the culprit travels alone, then drop it.
      if (batch.length > 1) return 'split';
      counters.rejected++;
      deleteLater([batch[0]!.id]);
      log(`${status}: dropped ${batch[0]!.id}`);
      return { removed: [batch[0]!.id] };
    }
    if (status === 401 || status === 403 || status === 404) {
      log(`${status}: check siteKey and origins`);
      backOff(undefined);
      return 'blocked';
    }
    if (!response.ok) return backOff(parseRetryAfter(response.headers.get('retry-after'), deps.now()));
    const answer = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    // Sent before a purge: its answer (acks, the visitor's score) is the purged visitor's and is not kept.
    if (purge !== purges) return { removed: [] };
    if (!answer || typeof answer !== 'object') {
      log('bad batch answer; retrying');
      return backOff(undefined);
    }
    const rejectedIndexes = new Set<number>();
    if (Array.isArray(answer.rejected)) {
      for (const entry of answer.rejected as { index?: unknown }[]) {
        if (typeof entry?.index === 'number') rejectedIndexes.add(entry.index);
      }
    }
    const acked = Array.isArray(answer.acked)
      ? new Set(answer.acked as string[])
      : new Set(batch.filter((_, i) => !rejectedIndexes.has(i)).map((r) => r.id));
    const ackedIds: string[] = [];
    const removed: string[] = [];
    batch.forEach((r, i) => {
      if (acked.has(r.id)) ackedIds.push(r.id);
      if (acked.has(r.id) || rejectedIndexes.has(i)) removed.push(r.id);
    });
    if (!removed.length) {
      log('nothing acked; retrying');
      return backOff(undefined);
    }
    deleteLater(removed);
    counters.acked += ackedIds.length;
    counters.rejected += removed.length - ackedIds.length;
    if (reported) {
      dropped = { ...dropped, unreported: Math.max(0, dropped.unreported - reported) };
      void persistDrops();
    }
    const snapshot = adoptSnapshot(batch[0]!.event.anonymousId, answer);
    score.acknowledge(ackedIds, snapshot);
    deps.postPeers?.({ t: 'acked', ids: removed, snapshot });
    return { removed };
  };

  const sendAll = async () => {
    await deletes;
    // The memory mirror is complete once loaded (this context's adds and its peers' news keep it so):
    // reading 10k records back from IndexedDB for every pass would cost more than sending them.
    let records = mirrored ? [...known.values()].sort(compareQueued) : await loadAndTrim();
    let maxEvents = limits.batchMaxEvents;
    while (records.length && !closed) {
      // Only what is still queued: a purge (or a peer's acknowledgement) during this pass forgot the rest.
      records = records.filter((r) => known.has(r.id));
      if (!records.length) break;
      const wait = retryAt - deps.now();
      if (wait > 0) {
        schedule(wait);
        return;
      }
      const batch = selectBatch(records, maxEvents, limits.batchMaxBytes);
      const outcome = await sendBatch(batch);
      if (outcome === 'retry' || outcome === 'blocked') {
        schedule(Math.max(0, retryAt - deps.now()));
        return;
      }
      if (outcome === 'split') {
        maxEvents = Math.max(1, Math.ceil(batch.length / 2));
        continue;
      }
      attempt = 0;
      retryAt = 0;
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
    retryAt = serverHold > deps.now() ? serverHold : 0;
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
        schedule(Math.max(0, retryAt - deps.now()));
      })
      .finally(() => {
        draining = undefined;
      });
    return draining;
  };

  const fetchJson = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetchWithTimeout(`${config.endpoint}${path}`, { headers });
    return response;
  };

  // The model with ETag: cached in IndexedDB and used offline; a 304 costs no body.
  const refreshModel = async () => {
    try {
      const response = await fetchJson(
        `/v1/model?siteKey=${encodeURIComponent(config.siteKey)}`,
        modelEtag ? { 'if-none-match': modelEtag } : {},
      );
      if (response.status === 304 || !response.ok) return;
      const body = (await response.json()) as Record<string, unknown>;
      model = checkModel(body && typeof body.model === 'object' ? body.model : body);
      modelEtag = response.headers.get('etag') ?? undefined;
      score.setModel(model);
      await store.setMeta('model', { etag: modelEtag, model });
      emit();
    } catch (error) {
      modelUnusable(error);
    }
  };

  // A tab that starts with no snapshot for its visitor asks the collector once.
  let snapshotAsked: string | undefined;
  const refreshSnapshot = async () => {
    const anonymousId = score.anonymousId();
    if (!config.send || !anonymousId || !score.needsSnapshot() || snapshotAsked === anonymousId) return;
    snapshotAsked = anonymousId;
    const purge = purges;
    try {
      const query = `siteKey=${encodeURIComponent(config.siteKey)}&anonymousId=${encodeURIComponent(anonymousId)}`;
      const response = await fetchJson(`/v1/score?${query}`);
      if (!response.ok || purge !== purges) return;
      const snapshot = adoptSnapshot(anonymousId, (await response.json()) as Record<string, unknown>);
      if (snapshot && score.needsSnapshot()) {
        score.setSnapshot(snapshot);
        emit();
      }
    } catch (error) {
      snapshotAsked = undefined;
      log('score refresh failed', error);
    }
  };

  let started: Promise<void> | undefined;
  const start = () => {
    if (started) return started;
    ready = (async () => {
      const [stored, snapshot, drops] = await Promise.all([
        store.getMeta<{ etag?: string; model: unknown }>('model'),
        store.getMeta<ScoreSnapshot>('snapshot'),
        store.getMeta<DropCounter>('dropped'),
      ]);
      if (stored) {
        try {
          model = checkModel(stored.model);
          score.setModel(model);
          modelEtag = stored.etag;
        } catch (error) {
          modelUnusable(error);
        }
      }
      if (snapshot) score.setSnapshot(snapshot);
      if (drops) dropped = drops;
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
      fresh.push(toRecord(event, score.add(event)));
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
    const stored = await writeRecords(fresh);
    if (purge !== purges) {
      deleteLater(stored.map((r) => r.id));
      return;
    }
    for (const r of stored) known.set(r.id, r);
    deps.postPeers?.({ t: 'events', events: stored.map((r) => r.event) });
    emit();
    let bytes = 0;
    for (const r of known.values()) bytes += r.bytes;
    if (known.size > limits.maxEvents || bytes > limits.maxBytes) await loadAndTrim();
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
    dropped = { unreported: 0, total: 0 };
    lastScore = '';
  };
  /** Consent denied: forgets at once, in memory, everything queued and the visitor's score (the store follows). */
  const forget = () => {
    purges++;
    if (timer !== undefined) deps.clearTimeout(timer);
    timer = undefined;
    known.clear();
    held.length = 0;
    resetScore();
  };

  const stats = async (): Promise<QueueStats> => {
    await start();
    let pendingBytes = 0;
    for (const r of known.values()) pendingBytes += r.bytes;
    return {
      pending: known.size,
      pendingBytes,
      ...counters,
      dropped: dropped.unreported,
      droppedTotal: dropped.total,
      retryAt: retryAt > deps.now() ? retryAt : 0,
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
          known.set(event.id, toRecord(event, score.add(event)));
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
      for (const event of extra) if (!known.has(event.id)) records.push(toRecord(event, false));
      const chosen = selectBeacon(records, BEACON_MAX_BYTES - 200);
      if (!chosen.length) return false;
      const body = JSON.stringify({
        siteKey: config.siteKey,
        sentAt: deps.now(),
        events: chosen.map((r) => r.event),
        ...(config.automated ? { automated: true } : {}),
      });
      // The answer is never seen, so nothing leaves the queue: the next page view resends and the
      // collector deduplicates by id.
      return deps.sendBeacon(`${config.endpoint}/v1/batch`, body);
    },
    useScoring(next) {
      if (scoring === next) return;
      const base = score.snapshot();
      scoring = next;
      score = next.createProvisionalScore();
      if (model) score.setModel(model);
      if (base) score.setSnapshot(base);
      for (const r of [...known.values()].sort(compareQueued)) score.add(r.event);
      for (const event of held.splice(0)) score.add(event);
      // Local-only keeps the folded state as its base; otherwise the collector's snapshot stays the base.
      if (config.send) emit();
      else void keepLocal();
    },
    close() {
      closed = true;
      if (timer !== undefined) deps.clearTimeout(timer);
      timer = undefined;
    },
  };
}
