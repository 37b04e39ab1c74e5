import { CHECKS, DEFAULTS, type LeadlightOptions } from './validateOptions.js';

const list = (v: string) => v.split(/[\s,]+/).filter(Boolean);
const flag = (v: string) => v !== 'false' && v !== '0' && v !== 'off';

/**
 * Reads the script tag's data attributes into `init` options: `data-<option-in-kebab-case>`, typed like the
 * option's default (booleans take "false"/"0"/"off", lists are space- or comma-separated), plus `data-sw`
 * (the service worker path, or "false") and `data-email-fields` (field names read as the email trait).
 * Unknown attributes are left alone; `init` validates the rest.
 */
export function readScriptOptions(script: HTMLScriptElement): Partial<LeadlightOptions> {
  const out: Record<string, unknown> = {};
  for (const [name, v = ''] of Object.entries(script.dataset)) {
    const d = (DEFAULTS as Record<string, unknown>)[name];
    if (name === 'sw' || name === 'serviceWorker') out.serviceWorker = flag(v) && v;
    else if (name === 'emailFields') out.traitFields = { email: list(v) };
    // A selector list is itself one selector: its commas stay.
    else if (name === 'ctaSelectors') out[name] = [v];
    else if (name === 'personalize') out[name] = flag(v) && {};
    else if (typeof d === 'boolean') out[name] = flag(v);
    else if (typeof d === 'number') out[name] = Number(v);
    else if (Array.isArray(d)) out[name] = list(v);
    // Strings, and options without a default (siteKey, endpoint, cookieDomain, privacySignalsReason).
    else if (d !== undefined || name in CHECKS) out[name] = v;
  }
  return out as Partial<LeadlightOptions>;
}
