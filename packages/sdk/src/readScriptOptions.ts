import type { LeadlightOptions, TouchExitRule } from './validateOptions.js';

const list = (v: string) => v.split(/[\s,]+/).filter(Boolean);
const flag = (v: string) => v !== 'false' && v !== '0' && v !== 'off';

/** data-* attribute (camel-cased by `dataset`) → how to read it into an option. */
const ATTRIBUTES: Record<string, (v: string) => [keyof LeadlightOptions, unknown]> = {
  siteKey: (v) => ['siteKey', v],
  endpoint: (v) => ['endpoint', v],
  sw: (v) => ['serviceWorker', flag(v) ? v : false],
  consent: (v) => ['consent', v],
  honorPrivacySignals: (v) => ['honorPrivacySignals', flag(v)],
  privacySignalsReason: (v) => ['privacySignalsReason', v],
  pageViews: (v) => ['pageViews', flag(v)],
  hashRouting: (v) => ['hashRouting', flag(v)],
  downloads: (v) => ['downloads', flag(v)],
  downloadExtensions: (v) => ['downloadExtensions', list(v)],
  cta: (v) => ['cta', flag(v)],
  // A selector list is itself one selector: commas stay.
  ctaSelectors: (v) => ['ctaSelectors', [v]],
  forms: (v) => ['forms', flag(v)],
  emailFields: (v) => ['traitFields', { email: list(v) }],
  exitIntent: (v) => ['exitIntent', flag(v)],
  touchExitIntent: (v) => ['touchExitIntent', list(v) as TouchExitRule[]],
  cookieDomain: (v) => ['cookieDomain', v],
  cookieDays: (v) => ['cookieDays', Number(v)],
  sessionMinutes: (v) => ['sessionMinutes', Number(v)],
  personalize: (v) => ['personalize', flag(v) ? {} : false],
  debug: (v) => ['debug', flag(v)],
};

/** Reads the script tag's data attributes into `init` options (unknown attributes are left for others). */
export function readScriptOptions(script: HTMLScriptElement): Partial<LeadlightOptions> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(script.dataset)) {
    const read = ATTRIBUTES[name];
    if (read && value !== undefined) {
      const [key, option] = read(value);
      out[key] = option;
    }
  }
  return out as Partial<LeadlightOptions>;
}
