import { isHttpUrl } from '@leadlight/worker';
import type { PersonalizationOptions } from './personalize/index.js';

/** How consent works on this site (DESIGN.md §4). */
export type ConsentMode = 'implied' | 'required' | 'local-only';

/** Touch-device exit-intent rules. */
export type TouchExitRule = 'scroll-up' | 'back' | 'hidden';

/** What a site passes to `init` (or sets through the script tag's data attributes). */
export interface LeadlightOptions {
  /** The site's public key (`pk_…`). Required. */
  siteKey: string;
  /** Collector base URL; defaults to the origin the script was loaded from, else the page's origin. */
  endpoint?: string;
  /** Service worker script on the site's own origin (e.g. "/leadlight-sw.js"); false or absent: in-page queue. */
  serviceWorker?: string | false;
  /** "implied" (default), "required" (nothing stored or sent until `consent("granted")`), "local-only". */
  consent?: ConsentMode;
  /** Honor Do-Not-Track and Global Privacy Control (default true). */
  honorPrivacySignals?: boolean;
  /** Required when `honorPrivacySignals` is false: why the site may ignore the signals (logged in debug mode). */
  privacySignalsReason?: string;
  /** Page views on load, history navigation, bfcache restores (default true). */
  pageViews?: boolean;
  /** Count `#/route` changes as page views (default false). */
  hashRouting?: boolean;
  /** Download clicks (default true). */
  downloads?: boolean;
  /** File extensions counted as downloads (replaces the default list). */
  downloadExtensions?: string[];
  /** CTA clicks on `[data-ll-cta]` and `ctaSelectors` (default true). */
  cta?: boolean;
  /** More CSS selectors whose clicks count as CTA clicks. */
  ctaSelectors?: string[];
  /** More query and fragment parameter names whose values are redacted (case-insensitive; README "What is redacted"). */
  redactParams?: string[];
  /** Form start, submit and abandon (default true). */
  forms?: boolean;
  /** Trait name → field names whose values a submit sends as an `identify` (default: email from email fields). */
  traitFields?: Record<string, string[]>;
  /** Exit intent (default true). */
  exitIntent?: boolean;
  /** Engaged time and scroll depth of each page view, sent as `engagement` events (default true). */
  engagement?: boolean;
  /** Rules on touch devices (default ["scroll-up", "hidden"]). */
  touchExitIntent?: TouchExitRule[];
  /** Cookie domain for the anonymous id, e.g. ".example.com" to share it across subdomains. */
  cookieDomain?: string;
  /** Anonymous id lifetime in days (default 365). */
  cookieDays?: number;
  /** Session idle timeout in minutes (default 30). */
  sessionMinutes?: number;
  /** Personalization options, or false to leave the page alone. */
  personalize?: PersonalizationOptions | false;
  /** Log what the SDK does and any misuse to the console. */
  debug?: boolean;
}

/** Options with every default filled in. */
export type ResolvedOptions = Required<Omit<LeadlightOptions, 'cookieDomain' | 'privacySignalsReason'>> & {
  cookieDomain?: string;
  privacySignalsReason?: string;
};

/** One problem with the options, at its path. */
export interface OptionError {
  path: string;
  message: string;
}

/** Documents and archives counted as downloads unless the site gives its own list. */
export const DEFAULT_DOWNLOAD_EXTENSIONS = (
  'pdf doc docx xls xlsx xlsm ppt pptx odt ods odp rtf csv txt epub key pages numbers ' +
  'zip rar 7z gz tgz tar bz2 xz dmg exe msi pkg deb rpm apk iso mp3 mp4 mov wav'
).split(' ');

/** A plain object (not null, not a list). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

type Check = (value: unknown, path: string, errors: OptionError[]) => boolean;

function fail(errors: OptionError[], path: string, message: string): false {
  errors.push({ path, message });
  return false;
}

/** Reports a value that is not what was expected: `expected <what>, got <value>`. */
const expected = (errors: OptionError[], path: string, what: string, v: unknown): false =>
  fail(errors, path, `expected ${what}, got ${show(v)}`);

const is =
  (type: string, what = `a ${type}`): Check =>
  (v, path, errors) =>
    typeof v === type || expected(errors, path, what, v);
const bool = is('boolean');
const str = is('string');
const oneOf =
  (...allowed: string[]): Check =>
  (v, path, errors) =>
    allowed.includes(v as string) || expected(errors, path, allowed.map((a) => `"${a}"`).join(' | '), v);
const positive: Check = (v, path, errors) =>
  (typeof v === 'number' && v > 0 && Number.isFinite(v)) || expected(errors, path, 'a positive number', v);
const listOf =
  (item: Check): Check =>
  (v, path, errors) => {
    if (!Array.isArray(v)) return expected(errors, path, 'a list', v);
    return v.every((x, i) => item(x, `${path}[${i}]`, errors));
  };
const selector: Check = (v, path, errors) => {
  if (!str(v, path, errors)) return false;
  try {
    document.createDocumentFragment().querySelector(v as string);
    return true;
  } catch {
    return fail(errors, path, `not a valid CSS selector: ${show(v)}`);
  }
};
const record =
  (item: Check): Check =>
  (v, path, errors) => {
    if (!isObject(v)) return expected(errors, path, 'an object', v);
    return Object.entries(v).every(([k, x]) => item(x, `${path}.${k}`, errors));
  };

/** Defaults of every option but `siteKey` and `endpoint`; an option's default also gives its type. */
export const DEFAULTS: Omit<ResolvedOptions, 'siteKey' | 'endpoint'> = {
  serviceWorker: false,
  consent: 'implied',
  honorPrivacySignals: true,
  pageViews: true,
  hashRouting: false,
  downloads: true,
  downloadExtensions: DEFAULT_DOWNLOAD_EXTENSIONS,
  cta: true,
  ctaSelectors: [],
  redactParams: [],
  forms: true,
  traitFields: {},
  exitIntent: true,
  engagement: true,
  touchExitIntent: ['scroll-up', 'hidden'],
  cookieDays: 365,
  sessionMinutes: 30,
  personalize: {},
  debug: false,
};

/** Options whose check is more than "the type of its default" (and those without a default). */
export const CHECKS: Partial<Record<keyof LeadlightOptions, Check>> = {
  siteKey: (v, path, errors) =>
    (typeof v === 'string' && v.length > 0) || expected(errors, path, 'a non-empty string', v),
  // The queue's own rule (http(s)) too: the queue takes the options unchecked (connectCheckedQueue).
  endpoint: (v, path, errors) => {
    if (!str(v, path, errors)) return false;
    try {
      new URL(v as string);
    } catch {
      return expected(errors, path, 'an absolute URL', v);
    }
    return isHttpUrl(v) || expected(errors, path, 'an http(s) URL', v);
  },
  serviceWorker: (v, path, errors) => v === false || str(v, path, errors),
  consent: oneOf('implied', 'required', 'local-only'),
  privacySignalsReason: str,
  ctaSelectors: listOf(selector),
  traitFields: record(listOf(str)),
  touchExitIntent: listOf(oneOf('scroll-up', 'back', 'hidden')),
  cookieDomain: str,
  cookieDays: positive,
  sessionMinutes: positive,
  personalize: (v, path, errors) => v === false || record(() => true)(v, path, errors),
};

/** The check of one option: its own, else by the type of its default. */
function checkOf(key: string): Check | undefined {
  const own = CHECKS[key as keyof LeadlightOptions];
  if (own) return own;
  const d = (DEFAULTS as Record<string, unknown>)[key];
  return typeof d === 'boolean' ? bool : Array.isArray(d) ? listOf(str) : undefined;
}

/**
 * Checks `init` options: a bad option is reported at its path and replaced by its default;
 * `options` is undefined only when the SDK cannot run at all (no usable site key).
 */
export function validateOptions(
  input: unknown,
  defaultEndpoint: string,
): { options?: ResolvedOptions; errors: OptionError[] } {
  const errors: OptionError[] = [];
  if (!isObject(input)) {
    expected(errors, 'options', 'an object', input);
    return { errors };
  }
  const out: Record<string, unknown> = { ...DEFAULTS, endpoint: defaultEndpoint };
  for (const [key, value] of Object.entries(input)) {
    const check = checkOf(key);
    if (!check) fail(errors, `options.${key}`, 'unknown option');
    else if (value !== undefined && check(value, `options.${key}`, errors)) out[key] = value;
  }
  if (out.honorPrivacySignals === false && !out.privacySignalsReason) {
    fail(
      errors,
      'options.privacySignalsReason',
      'required when honorPrivacySignals is false: say why the site may ignore DNT and GPC',
    );
    out.honorPrivacySignals = true;
  }
  // The default (this script's origin, else the page's) is "null" on a file: or sandboxed page: then no queue.
  if (!CHECKS.endpoint!(out.endpoint, 'options.endpoint', errors)) out.endpoint = '';
  out.endpoint = String(out.endpoint).replace(/\/+$/, '');
  out.downloadExtensions = (out.downloadExtensions as string[]).map((e) =>
    e.replace(/^\./, '').toLowerCase(),
  );
  out.redactParams = (out.redactParams as string[]).map((n) => n.toLowerCase());
  return typeof out.siteKey === 'string' ? { options: out as ResolvedOptions, errors } : { errors };
}

function show(v: unknown): string {
  try {
    return v === undefined ? 'undefined' : JSON.stringify(v).slice(0, 60);
  } catch {
    return String(v);
  }
}
