import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import type { FlushResult, QueueClient, QueueOptions } from '@leadlight/worker';
import { captureClicks } from './captureClicks.js';
import type { CaptureContext, Uninstall } from './captureContext.js';
import { captureExitIntent, type ExitIntentCapture } from './captureExitIntent.js';
import { captureForms, type FormCapture } from './captureForms.js';
import { capturePageViews } from './capturePageViews.js';
import { createIdentity, type Identity } from './identity.js';
import { LeadlightError } from './leadlightError.js';
import type { PersonalizationHost, PersonalizationOptions, Personalizer } from './personalize/index.js';
import { redactUrl } from './redactUrl.js';
import { createUuidV7 } from './uuidV7.js';
import { type LeadlightOptions, type ResolvedOptions, validateOptions } from './validateOptions.js';

/** The object behind `window.leadlight` and `init()` (DESIGN.md §4). */
export interface Leadlight {
  init(options: LeadlightOptions): Leadlight;
  track(type: string, props?: Record<string, unknown>): void;
  identify(traits: Record<string, unknown>): void;
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
  window: Window;
  now(): number;
  random(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(handle: number): void;
  connectQueue(options: QueueOptions): QueueClient;
  installPersonalization(host: PersonalizationHost, options: PersonalizationOptions): Personalizer;
  /** Where the script was loaded from (the default endpoint). */
  scriptOrigin?: string;
}

/** Where consent stands: events flow (granted), wait in memory (pending), or are dropped (denied). */
type ConsentState = 'granted' | 'pending' | 'denied';

const EVENT_TYPE = /^[a-z0-9_.:-]{1,64}$/;
const UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];
/** Events kept in memory while consent is pending or before `init`: enough for a page, bounded for a storm. */
const MEMORY_CAP = 100;

/** Builds one SDK instance; nothing happens on the page until `init`. */
export function createLeadlight(env: Environment): Leadlight {
  const win = env.window;
  const doc = win.document;
  const newId = createUuidV7(env.random);
  let options: ResolvedOptions | undefined;
  let identity: Identity | undefined;
  let consentState: ConsentState = 'pending';
  let queue: QueueClient | undefined;
  let personalizer: Personalizer | undefined;
  let referrer = doc.referrer;
  let initialized = false;
  /** Calls made before `init`, replayed by it (a `page()` or `track()` on a stub-less page). */
  const early: [keyof Leadlight, unknown[]][] = [];
  /** Events waiting for consent: in memory only, never stored or sent before the grant. */
  let waiting: TrackedEvent[] = [];
  const scoreListeners = new Set<(score: ScoreResult) => void>();
  const uninstalls: Uninstall[] = [];

  const debug = (...args: unknown[]) => {
    if (options?.debug) console.info('[leadlight]', ...args);
  };
  const warn = (error: LeadlightError | string) => {
    if (options?.debug)
      console.warn(`[leadlight] ${typeof error === 'string' ? error : `${error.code}: ${error.message}`}`);
  };
  /** Public methods never throw into the host page. */
  const guard =
    <A extends unknown[], R>(name: string, fn: (...args: A) => R, fallback: R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } catch (e) {
        warn(new LeadlightError('internal', `${name}: ${(e as Error)?.message ?? e}`));
        return fallback;
      }
    };

  const emitScore = (score: ScoreResult) => {
    for (const cb of scoreListeners) {
      try {
        cb(score);
      } catch (e) {
        warn(`onScore callback threw: ${(e as Error)?.message ?? e}`);
      }
    }
  };

  const connect = () => {
    if (queue || !options) return;
    try {
      queue = open(options);
    } catch (e) {
      warn(`the event queue failed to start: ${(e as Error)?.message ?? e}`);
    }
  };
  const open = (options: ResolvedOptions) => {
    const q = env.connectQueue({
      endpoint: options.endpoint,
      siteKey: options.siteKey,
      serviceWorker: options.serviceWorker ? { path: options.serviceWorker } : false,
      send: options.consent !== 'local-only',
      // Automated browsers are reported, never dropped here: the collector applies the site's bots policy.
      automated: win.navigator.webdriver === true,
      debug: options.debug,
    });
    q.onScore(emitScore);
    return q;
  };

  const deliver = (event: TrackedEvent) => {
    // Ids are created at the grant, so events held while consent was pending get them now.
    event.anonymousId = identity!.ensureAnonymousId();
    event.sessionId = identity!.touchSession();
    connect();
    queue?.enqueue(event);
    debug(event.type, event.props ?? event.traits ?? '');
    try {
      personalizer?.observe(event);
    } catch (e) {
      warn(`personalization failed on ${event.type}: ${(e as Error)?.message ?? e}`);
    }
  };

  const record = (type: string, props?: Record<string, unknown>, traits?: Record<string, unknown>) => {
    if (consentState === 'denied') return;
    const ts = env.now();
    const loc = win.location;
    const event: TrackedEvent = {
      id: newId(ts),
      type,
      ts,
      anonymousId: '',
      url: redactUrl(loc.href),
      path: loc.pathname,
      title: doc.title,
      referrer: redactUrl(referrer),
    };
    if (props && Object.keys(props).length) event.props = props;
    if (traits) event.traits = traits;
    if (consentState === 'pending') {
      if (waiting.length < MEMORY_CAP) waiting.push(event);
      return;
    }
    deliver(event);
  };

  const pageView = () => {
    const props: Record<string, string> = {};
    const params = new URLSearchParams(win.location.search);
    for (const key of UTM) {
      const v = params.get(key);
      if (v) props[key] = v.slice(0, 256);
    }
    record('page_view', props);
    referrer = win.location.href;
  };

  const plainObject = (v: unknown): v is Record<string, unknown> =>
    !!v && typeof v === 'object' && !Array.isArray(v);

  let exit: ExitIntentCapture | undefined;
  let forms: FormCapture | undefined;

  const install = (o: ResolvedOptions) => {
    const ctx: CaptureContext = {
      window: win,
      document: doc,
      now: env.now,
      setTimeout: env.setTimeout,
      clearTimeout: env.clearTimeout,
      track: (type, props) => api.track(type, props),
    };
    if (o.forms) {
      forms = captureForms(ctx, { traitFields: o.traitFields, identify: (traits) => api.identify(traits) });
      uninstalls.push(forms.uninstall);
    }
    if (o.exitIntent) {
      const touch = !!win.matchMedia?.('(hover: none) and (pointer: coarse)').matches;
      exit = captureExitIntent(ctx, {
        touch,
        touchRules: o.touchExitIntent,
        onExitIntent: () => {
          api.track('exit_intent');
          try {
            personalizer?.exitIntent();
          } catch (e) {
            warn(`personalization failed on exit intent: ${(e as Error)?.message ?? e}`);
          }
        },
      });
      uninstalls.push(exit.uninstall);
    }
    if (o.downloads || o.cta) {
      const selectors = ['[data-ll-cta]', ...o.ctaSelectors].join(',');
      uninstalls.push(
        captureClicks(ctx, {
          downloadExtensions: o.downloads ? o.downloadExtensions : null,
          ctaSelector: o.cta ? selectors : null,
        }),
      );
    }
    if (o.pageViews) {
      uninstalls.push(
        capturePageViews(ctx, {
          hashRouting: o.hashRouting,
          onLeave: () => {
            forms?.leave();
            exit?.reset();
          },
          pageView: () => api.page(),
        }),
      );
    }
  };

  const api: Leadlight = {
    init: guard(
      'init',
      (input: LeadlightOptions) => {
        if (initialized) {
          warn('init: already initialized; later init calls are ignored');
          return api;
        }
        const wantsDebug = plainObject(input) && input.debug === true;
        const { options: resolved, errors } = validateOptions(input, env.scriptOrigin ?? win.location.origin);
        if (wantsDebug) {
          for (const e of errors) console.warn(`[leadlight] init: ${e.path}: ${e.message}`);
        }
        if (!resolved) {
          if (wantsDebug) console.warn('[leadlight] init: the SDK stays off (no usable siteKey)');
          return api;
        }
        options = resolved;
        initialized = true;
        const secure = win.location.protocol === 'https:';
        identity = createIdentity({
          document: doc,
          storage: storageOf(win),
          now: env.now,
          newId: () => newId(env.now()),
          cookieDomain: resolved.cookieDomain,
          cookieDays: resolved.cookieDays,
          sessionMinutes: resolved.sessionMinutes,
          secure,
        });
        const nav = win.navigator as Navigator & { globalPrivacyControl?: boolean };
        const signal = nav.doNotTrack === '1' || nav.globalPrivacyControl === true;
        const stored = identity.storedConsent();
        // An explicit choice the visitor made on this site wins over the browser-wide signals.
        consentState =
          stored === 'granted'
            ? 'granted'
            : stored === 'denied' || (signal && resolved.honorPrivacySignals)
              ? 'denied'
              : resolved.consent === 'required'
                ? 'pending'
                : 'granted';
        if (signal && !resolved.honorPrivacySignals)
          debug('ignoring DNT/GPC:', resolved.privacySignalsReason);
        debug(`init ${resolved.siteKey} → ${resolved.endpoint}, consent ${consentState}`);
        if (resolved.personalize !== false) {
          personalizer = env.installPersonalization(
            {
              onScore: api.onScore,
              track: api.track,
              debug: resolved.debug,
              canStore: () => consentState === 'granted',
            },
            resolved.personalize,
          );
        }
        if (consentState === 'granted') connect();
        install(resolved);
        for (const [name, args] of early.splice(0)) (api[name] as (...a: unknown[]) => unknown)(...args);
        return api;
      },
      undefined as unknown as Leadlight,
    ),
    track: guard(
      'track',
      (type: string, props?: Record<string, unknown>) => {
        if (!initialized) {
          if (early.length < MEMORY_CAP) early.push(['track', [type, props]]);
          return;
        }
        if (typeof type !== 'string' || !EVENT_TYPE.test(type) || type === 'identify') {
          return warn(
            new LeadlightError(
              'invalid_call',
              `track: type must match [a-z0-9_.:-]{1,64} (and not "identify"), got ${String(type)}`,
            ),
          );
        }
        if (props !== undefined && !plainObject(props)) {
          return warn(new LeadlightError('invalid_call', `track(${type}): props must be an object`));
        }
        record(type, props && { ...props });
      },
      undefined,
    ),
    identify: guard(
      'identify',
      (traits: Record<string, unknown>) => {
        if (!initialized) {
          if (early.length < MEMORY_CAP) early.push(['identify', [traits]]);
          return;
        }
        if (!plainObject(traits))
          return warn(new LeadlightError('invalid_call', 'identify: traits must be an object'));
        record('identify', undefined, { ...traits });
      },
      undefined,
    ),
    page: guard(
      'page',
      () => {
        if (!initialized) {
          if (early.length < MEMORY_CAP) early.push(['page', []]);
          return;
        }
        pageView();
      },
      undefined,
    ),
    consent: guard(
      'consent',
      (choice: 'granted' | 'denied') => {
        if (!initialized) {
          early.push(['consent', [choice]]);
          return;
        }
        if (choice !== 'granted' && choice !== 'denied') {
          return warn(
            new LeadlightError(
              'invalid_call',
              `consent: expected "granted" or "denied", got ${String(choice)}`,
            ),
          );
        }
        identity!.storeConsent(choice);
        const held = waiting;
        waiting = [];
        if (choice === 'granted') {
          consentState = 'granted';
          connect();
          for (const event of held) deliver(event);
          return;
        }
        consentState = 'denied';
        identity!.clear();
        const q = queue;
        queue = undefined;
        if (q) {
          q.purge()
            .catch((e) => warn(`consent: purging the queue failed: ${(e as Error)?.message ?? e}`))
            .finally(() => q.close());
        }
      },
      undefined,
    ),
    score: guard(
      'score',
      () => (queue ? queue.score().catch(() => undefined) : Promise.resolve(undefined)),
      Promise.resolve(undefined),
    ),
    onScore: guard(
      'onScore',
      (callback: (score: ScoreResult) => void) => {
        if (typeof callback !== 'function') {
          warn(new LeadlightError('invalid_call', 'onScore: expected a function'));
          return () => {};
        }
        scoreListeners.add(callback);
        return () => {
          scoreListeners.delete(callback);
        };
      },
      () => {},
    ),
    anonymousId: guard(
      'anonymousId',
      () => (consentState === 'granted' ? identity?.anonymousId() : undefined),
      undefined,
    ),
    flush: guard(
      'flush',
      () =>
        queue
          ? queue.flush().catch(() => ({ sent: 0, pending: waiting.length }))
          : Promise.resolve({ sent: 0, pending: waiting.length }),
      Promise.resolve({ sent: 0, pending: 0 }),
    ),
    ready: guard(
      'ready',
      (callback: () => void) => {
        try {
          callback();
        } catch (e) {
          warn(`ready callback threw: ${(e as Error)?.message ?? e}`);
        }
      },
      undefined,
    ),
    when: guard(
      'when',
      (condition: string, callback: Parameters<Personalizer['when']>[1]) =>
        personalizer?.when(condition, callback) ?? (() => {}),
      () => {},
    ),
    destroy: guard(
      'destroy',
      () => {
        for (const off of uninstalls.splice(0)) off();
        personalizer?.stop();
        queue?.close();
        queue = undefined;
      },
      undefined,
    ),
  };
  return api;
}

/** localStorage, or undefined where merely reading the property throws (sandboxed frames, blocked storage). */
function storageOf(win: Window): Storage | undefined {
  try {
    return win.localStorage;
  } catch {
    return undefined;
  }
}
