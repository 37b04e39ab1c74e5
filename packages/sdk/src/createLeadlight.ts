import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import { createUuidV7 } from '@leadlight/scoring-core/uuidV7';
import type { CheckedQueueOptions, FlushResult, QueueClient } from '@leadlight/worker';
import { captureClicks } from './captureClicks.js';
import type { CaptureContext } from './captureContext.js';
import { captureEngagement } from './captureEngagement.js';
import { captureExitIntent } from './captureExitIntent.js';
import { captureForms } from './captureForms.js';
import { capturePageViews } from './capturePageViews.js';
import { createIdentity, type Identity } from './identity.js';
import type { LeadlightErrorCode } from './leadlightError.js';
import type { PersonalizationHost, PersonalizationOptions, Personalizer } from './personalize/index.js';
import { redact } from './redact.js';
import { isObject, type LeadlightOptions, type ResolvedOptions, validateOptions } from './validateOptions.js';

/** The object behind `window.leadlight` and `init()` (DESIGN.md §4). */
export interface Leadlight {
  init(options: LeadlightOptions): Leadlight;
  track(type: string, props?: Record<string, unknown>): void;
  /** Sends traits; `token` is the identity token the site's backend computed for this email (README "Identity"). */
  identify(traits: Record<string, unknown>, options?: { token?: string }): void;
  /** Puts this visitor in an account (a company): its id, and traits the collector may keep for it. */
  group(accountId: string, traits?: Record<string, unknown>): void;
  page(): void;
  consent(choice: 'granted' | 'denied'): void;
  score(): Promise<ScoreResult | undefined>;
  onScore(callback: (score: ScoreResult) => void): () => void;
  anonymousId(): string | undefined;
  flush(): Promise<FlushResult>;
  ready(callback: () => void): void;
  /** Calls back whenever a `data-ll-if`-style condition holds (personalization); returns an unsubscribe. */
  when: Personalizer['when'];
  /** Removes every listener and history patch and closes the queue (tests, hot reloads). */
  destroy(): void;
}

/** Everything the SDK touches outside itself, injected so tests swap it. */
export interface Environment {
  /** The page; its clock and timers are the global ones (which fake timers in tests replace). */
  window: Window;
  random(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>;
  /** Takes the options as validateOptions checked them (the queue does not check them again). */
  connectQueue(options: CheckedQueueOptions): QueueClient;
  installPersonalization(host: PersonalizationHost, options: PersonalizationOptions): Personalizer;
  /** Where the script was loaded from (the default endpoint). */
  scriptOrigin?: string;
}

/** Where consent stands: events flow (granted), wait in memory (pending), or are dropped (denied). */
type ConsentState = 'granted' | 'pending' | 'denied';

/** The page an event happened on (DESIGN.md §2). */
type PageContext = Pick<TrackedEvent, 'url' | 'path' | 'title' | 'referrer'>;

const EVENT_TYPE = /^[a-z0-9_.:-]{1,64}$/;
const UTM = 'source medium campaign term content'.split(' ').map((k) => `utm_${k}`);
/** Events kept in memory while consent is pending or before `init`: enough for a page, bounded for a storm. */
const MEMORY_CAP = 100;
/** Calls that wait for `init` and replay in order after it. */
const DEFERRED: (keyof Leadlight)[] = ['track', 'identify', 'group', 'page', 'consent'];

/** Builds one SDK instance; nothing happens on the page until `init`. */
export function createLeadlight(env: Environment): Leadlight {
  const win = env.window;
  const doc = win.document;
  const newId = createUuidV7(env.random);
  let options: ResolvedOptions | undefined;
  let identity: Identity;
  let consentState: ConsentState = 'pending';
  let queue: QueueClient | undefined;
  let personalizer: Personalizer | undefined;
  /** Someone shows scores (`onScore`, `score()`, personalization deciding): an in-page queue then scores here. */
  let live = false;
  let referrer = doc.referrer;
  /** The current page view's context, which its engagement events carry (also once the SPA has moved on). */
  let view: PageContext | undefined;
  /** Ends the current page view's engagement and starts the next (when engagement is captured). */
  let nextView: (() => void) | undefined;
  /** Calls made before `init`, replayed by it (a `page()` or `track()` on a stub-less page). */
  const early: [keyof Leadlight, unknown[]][] = [];
  /** Events waiting for consent: in memory only, never stored or sent before the grant. */
  let waiting: TrackedEvent[] = [];
  const scoreListeners = new Set<(score: ScoreResult) => void>();
  /** Aborted by `destroy()`: removes every listener and history patch. */
  const stop = new AbortController();

  const debug = (...args: unknown[]) => {
    if (options?.debug) console.info('[leadlight]', ...args);
  };
  const warn = (code: LeadlightErrorCode, message: string) => {
    if (options?.debug) console.warn(`[leadlight] ${code}: ${message}`);
  };
  /** Runs site or sibling code that may throw, logging instead of breaking the caller. */
  const attempt = <R>(what: string, fn: () => R): R | undefined => {
    try {
      return fn();
    } catch (e) {
      warn('internal', `${what}: ${(e as Error)?.message ?? e}`);
      return undefined;
    }
  };

  const connect = () => {
    const o = options;
    // No endpoint the queue could send to (see validateOptions): events are not queued.
    if (queue || !o?.endpoint) return;
    queue = attempt('starting the event queue', () =>
      env.connectQueue({
        endpoint: o.endpoint,
        siteKey: o.siteKey,
        serviceWorker: o.serviceWorker ? { path: o.serviceWorker } : false,
        send: o.consent !== 'local-only',
        // Automated browsers are reported, never dropped here: the collector applies the site's bots policy.
        automated: win.navigator.webdriver === true,
        debug: o.debug,
      }),
    );
    queue?.onScore((score) => {
      for (const cb of scoreListeners) attempt('onScore callback', () => cb(score));
    });
    if (live) queue?.liveScores?.();
  };
  const wantLive = () => {
    live = true;
    queue?.liveScores?.();
  };
  /** Adds a score listener; `passive` ones take the scores that come without asking for live ones. */
  const listen = (callback: (score: ScoreResult) => void, passive?: boolean) => {
    if (typeof callback !== 'function') {
      warn('invalid_call', 'onScore: expected a function');
      return () => {};
    }
    if (!passive) wantLive();
    scoreListeners.add(callback);
    return () => {
      scoreListeners.delete(callback);
    };
  };

  /** The UTM parameters of a URL, as page views and session starts carry them. */
  const utm = (href: string) => {
    const props: Record<string, string> = {};
    const params = new URL(href).searchParams;
    for (const key of UTM) {
      const v = params.get(key);
      if (v) props[key] = v.slice(0, 256);
    }
    return props;
  };

  const deliver = (event: TrackedEvent) => {
    // Ids are made here, so events held while consent was pending get them at the grant, and event ids come in
    // delivery order: a new session's session_start (on its first event's page, same ts) sorts before that event.
    event.anonymousId = identity.ensureAnonymousId();
    const [sessionId, visitNumber] = identity.touchSession();
    if (visitNumber) {
      const { props, traits, ...page } = event;
      deliver({
        ...page,
        type: 'session_start',
        props: { visitNumber, landingPage: page.path, ...utm(page.url!) },
      });
    }
    event.id = newId(event.ts);
    event.sessionId = sessionId;
    connect();
    queue?.enqueue(event);
    debug(event.type, event.props ?? event.traits ?? '');
    attempt('personalization', () => personalizer?.observe(event));
  };

  /** Emails and sensitive parameter values out of a string, or of the strings in a list (README "What is redacted"). */
  const clean = <T>(v: T): T =>
    (typeof v === 'string'
      ? redact(v, options?.redactParams ?? [])
      : Array.isArray(v)
        ? v.map(clean)
        : v) as T;

  const context = (): PageContext => ({
    url: clean(win.location.href),
    path: clean(win.location.pathname),
    title: clean(doc.title),
    referrer: clean(referrer),
  });
  // Every event is built here, so redaction happens before anything is held, stored or sent (`page`, when
  // given, was redacted by `context`). Traits are not redacted: `identify` is how a site sends an email on purpose.
  const record = (
    type: string,
    props?: Record<string, unknown>,
    traits?: Record<string, unknown>,
    page = context(),
  ) => {
    if (consentState === 'denied') return;
    const event: TrackedEvent = { id: '', type, ts: Date.now(), anonymousId: '', ...page };
    if (props && Object.keys(props).length) {
      for (const key in props) props[key] = clean(props[key]);
      event.props = props;
    }
    if (traits) event.traits = traits;
    if (consentState === 'granted') deliver(event);
    else if (waiting.length < MEMORY_CAP) waiting.push(event);
  };

  const install = (o: ResolvedOptions) => {
    const ctx: CaptureContext = {
      ...env,
      track: (type, props) => api.track(type, props),
      signal: stop.signal,
    };
    const leaveForms = o.forms && captureForms(ctx, o.traitFields, (traits) => api.identify(traits));
    const resetExit =
      o.exitIntent &&
      captureExitIntent(ctx, o.touchExitIntent, () => {
        api.track('exit_intent');
        attempt('personalization', () => personalizer?.exitIntent());
      });
    if (o.downloads || o.cta) {
      captureClicks(
        ctx,
        o.downloads ? o.downloadExtensions : null,
        o.cta ? ['[data-ll-cta]', ...o.ctaSelectors].join(',') : null,
      );
    }
    if (o.engagement) {
      nextView = captureEngagement(ctx, newId, (props) =>
        attempt('engagement', () => record('engagement', props, undefined, view)),
      );
    }
    if (o.pageViews) {
      capturePageViews(
        ctx,
        o.hashRouting,
        () => {
          if (leaveForms) leaveForms();
          if (resetExit) resetExit();
        },
        () => api.page(),
      );
    }
  };

  const init = (input: LeadlightOptions): Leadlight => {
    if (options) {
      warn('invalid_call', 'init: already initialized; later init calls are ignored');
      return api;
    }
    const wantsDebug = isObject(input) && input.debug === true;
    const { options: o, errors } = validateOptions(input, env.scriptOrigin ?? win.location.origin);
    if (wantsDebug) {
      for (const e of errors) console.warn(`[leadlight] invalid_options: ${e.path}: ${e.message}`);
      if (!o) console.warn('[leadlight] invalid_options: the SDK stays off (no usable siteKey)');
    }
    if (!o) return api;
    options = o;
    identity = createIdentity(win, () => newId(Date.now()), o);
    const nav = win.navigator as Navigator & { globalPrivacyControl?: boolean };
    const signal = nav.doNotTrack === '1' || nav.globalPrivacyControl === true;
    const stored = identity.storedConsent();
    // An explicit choice the visitor made on this site wins over the browser-wide signals.
    consentState =
      stored === 'granted'
        ? 'granted'
        : stored === 'denied' || (signal && o.honorPrivacySignals)
          ? 'denied'
          : o.consent === 'required'
            ? 'pending'
            : 'granted';
    if (signal && !o.honorPrivacySignals) debug('ignoring DNT/GPC:', o.privacySignalsReason);
    debug(`init ${o.siteKey} -> ${o.endpoint}, consent ${consentState}`);
    // Cheap here: the deciding pass over the page runs later, in its own task (see the environments).
    if (o.personalize !== false) {
      personalizer = attempt('personalization', () =>
        env.installPersonalization(
          {
            onScore: api.onScore,
            watchScore: (callback) => listen(callback, true),
            track: api.track,
            debug: o.debug,
            canStore: () => consentState === 'granted',
          },
          o.personalize || {},
        ),
      );
    }
    // Capture first: the queue hands over on pagehide, after the engagement and form-abandon events of that
    // pagehide, and a window's listeners run in the order they were added (Chromium does not run capturing ones first).
    install(o);
    if (consentState === 'granted') connect();
    for (const [name, args] of early.splice(0)) (api[name] as (...a: unknown[]) => unknown)(...args);
    return api;
  };

  const methods: Leadlight = {
    init,
    track(type, props) {
      if (typeof type !== 'string' || !EVENT_TYPE.test(type) || type === 'identify') {
        return warn(
          'invalid_call',
          `track: type must match [a-z0-9_.:-]{1,64} and not be "identify", got ${String(type)}`,
        );
      }
      if (props !== undefined && !isObject(props))
        return warn('invalid_call', `track(${type}): props must be an object`);
      record(type, props && { ...props });
    },
    identify(traits, options) {
      if (!isObject(traits)) return warn('invalid_call', 'identify: traits must be an object');
      const token = options?.token;
      // The collector rejects a wrong token; this only refuses a value that cannot be one.
      if (token !== undefined && !/^[0-9a-f]{64}$/.test(token))
        return warn('invalid_call', 'identify: options.token');
      record('identify', token ? { identityToken: token } : undefined, { ...traits });
    },
    group(id, traits) {
      // The collector checks the id's length and refuses an empty one; this only catches a wrong call.
      if (typeof id !== 'string' || (traits !== undefined && !isObject(traits)))
        return warn('invalid_call', 'group: accountId');
      record('group', { groupId: id }, { ...traits });
    },
    page() {
      // The page being left sends its engagement first, with its own context.
      nextView?.();
      view = context();
      record('page_view', utm(win.location.href), undefined, view);
      referrer = win.location.href;
    },
    consent(choice) {
      if (choice !== 'granted' && choice !== 'denied') {
        return warn('invalid_call', `consent: expected "granted" or "denied", got ${String(choice)}`);
      }
      identity.storeConsent(choice);
      const held = waiting;
      waiting = [];
      if (choice === 'granted') {
        consentState = 'granted';
        connect();
        for (const event of held) deliver(event);
        return;
      }
      consentState = 'denied';
      identity.clear();
      const q = queue;
      queue = undefined;
      q?.purge()
        .catch((e) => warn('internal', `consent: purging the queue failed: ${(e as Error)?.message ?? e}`))
        .finally(() => q.close());
    },
    // Async, so a failure anywhere answers through the promise (never a throw).
    score: async () => {
      wantLive();
      return queue?.score().catch(() => undefined);
    },
    onScore: (callback) => listen(callback),
    anonymousId: () => (consentState === 'granted' ? identity?.anonymousId() : undefined),
    flush: async () => {
      const none = { sent: 0, pending: waiting.length };
      return queue ? queue.flush().catch(() => none) : none;
    },
    ready(callback) {
      attempt('ready callback', callback);
    },
    when: (condition, callback) => personalizer?.when(condition, callback) ?? (() => {}),
    destroy() {
      stop.abort();
      personalizer?.stop();
      queue?.close();
      queue = undefined;
    },
  };

  // Public methods never throw into the host page: a failure is logged (debug mode) and answered with a
  // harmless value of the right shape.
  const api = {} as Leadlight;
  for (const name of Object.keys(methods) as (keyof Leadlight)[]) {
    const fn = methods[name] as (...args: unknown[]) => unknown;
    (api as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      // Before `init`, these calls wait (bounded) and replay in order.
      if (!options && DEFERRED.includes(name)) {
        if (early.length < MEMORY_CAP) early.push([name, args]);
        return;
      }
      // (score and flush are async: they answer through their promise.)
      return (
        attempt(name, () => fn(...args)) ??
        (name === 'init' ? api : name === 'onScore' || name === 'when' ? () => {} : undefined)
      );
    };
  }
  return api;
}
