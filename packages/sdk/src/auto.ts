// Entry of dist/leadlight.js: the script tag build, which installs itself on load.
import { browserEnvironment } from './browserEnvironment.js';
import { installGlobal } from './installGlobal.js';
import { lazyPersonalization, type PersonalizeChunk } from './personalize/lazyPersonalization.js';

try {
  const script = (document.currentScript ??
    document.querySelector('script[data-site-key][src*="leadlight"]')) as HTMLScriptElement | null;
  let chunk: Promise<PersonalizeChunk> | undefined;
  // The personalization chunk sits next to this script (the collector serves every leadlight*.js).
  const load = () =>
    (chunk ??= new Promise<PersonalizeChunk>((resolve, reject) => {
      const scope = window as { LeadlightPersonalize?: PersonalizeChunk };
      const tag = document.createElement('script');
      let src: unknown = new URL('leadlight-personalize.js', script?.src || location.href).href;
      try {
        // Pages that enforce Trusted Types accept a script URL only through a policy.
        const tt = (
          window as {
            trustedTypes?: { createPolicy(n: string, p: object): { createScriptURL(u: unknown): unknown } };
          }
        ).trustedTypes;
        src =
          tt?.createPolicy('leadlight', { createScriptURL: (u: unknown) => u }).createScriptURL(src) ?? src;
      } catch {
        // The site's policy list does not allow ours: a plain URL is all we can try.
      }
      tag.src = src as string;
      tag.nonce = script?.nonce ?? '';
      // Only while <body> does not exist yet (a synchronous script in <head>): the first paint waits for it.
      tag.setAttribute('blocking', 'render');
      tag.onload = () => (scope.LeadlightPersonalize ? resolve(scope.LeadlightPersonalize) : reject());
      tag.onerror = reject;
      document.head.append(tag);
    }));
  // A synchronous script in <head> asks for decisions before the first paint, so the chunk comes now.
  if (script && !script.async && !script.defer && !document.body) void load().catch(() => {});
  installGlobal(window, script, (origin) => browserEnvironment(window, lazyPersonalization(load), origin));
} catch {
  // Never break the host page, even if the browser is far older than the SDK supports.
}
