// Entry of dist/leadlight.js: the script tag build, which installs itself on load.
import { browserEnvironment } from './browserEnvironment.js';
import { installGlobal } from './installGlobal.js';

try {
  const script = (document.currentScript ??
    document.querySelector('script[data-site-key][src*="leadlight"]')) as HTMLScriptElement | null;
  installGlobal(window, script, (origin) => browserEnvironment(window, origin));
} catch {
  // Never break the host page, even if the browser is far older than the SDK supports.
}
