// Entry of dist/leadlight.js: the script tag build, which installs itself on load.
import { browserEnvironment } from './browserEnvironment.js';
import { installGlobal } from './installGlobal.js';
import { lazyPersonalization, type PersonalizeChunk } from './personalize/lazyPersonalization.js';

try {
  const script = (document.currentScript ??
    document.querySelector('script[data-site-key][src*="leadlight"]')) as HTMLScriptElement | null;
  // The personalization chunk sits next to this script (the collector serves every leadlight*.js).
  const personalize = lazyPersonalization(
    () =>
      new Promise<PersonalizeChunk>((resolve, reject) => {
        const scope = window as { LeadlightPersonalize?: PersonalizeChunk };
        const chunk = document.createElement('script');
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
        chunk.src = src as string;
        chunk.nonce = script?.nonce ?? '';
        chunk.onload = () => (scope.LeadlightPersonalize ? resolve(scope.LeadlightPersonalize) : reject());
        chunk.onerror = reject;
        document.head.append(chunk);
      }),
  );
  installGlobal(window, script, (origin) => browserEnvironment(window, personalize, origin));
} catch {
  // Never break the host page, even if the browser is far older than the SDK supports.
}
