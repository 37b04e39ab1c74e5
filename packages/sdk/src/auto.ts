// Entry of dist/leadlight.js: the script tag build, which installs itself on load.
import { loadChunk } from '@leadlight/worker';
import { browserEnvironment } from './browserEnvironment.js';
import { installGlobal } from './installGlobal.js';
import { lazyPersonalization, type PersonalizeChunk } from './personalize/lazyPersonalization.js';

try {
  const script = (document.currentScript ??
    document.querySelector('script[data-site-key][src*="leadlight"]')) as HTMLScriptElement | null;
  let chunk: Promise<PersonalizeChunk> | undefined;
  // The personalization chunk sits next to this script, else at the collector (the build versions its name).
  const load = () =>
    (chunk ??= loadChunk<PersonalizeChunk>(
      'leadlight-personalize.js',
      'LeadlightPersonalize',
      script?.dataset.endpoint?.replace(/\/+$/, ''),
      new URL('leadlight-personalize.js', script?.src || location.href).href,
      // Render-blocking only while <head> is still parsing: then the first paint waits for the decisions.
      true,
    ));
  // A synchronous script in <head> asks for decisions before the first paint, so the chunk comes now.
  if (script && !script.async && !script.defer && !document.body) void load().catch(() => {});
  installGlobal(window, script, (origin) => browserEnvironment(window, lazyPersonalization(load), origin));
} catch {
  // Never break the host page, even if the browser is far older than the SDK supports.
}
