// Loading Leadlight's lazily loaded chunks (the queue, personalization) from a classic script-tag SDK, in a
// way strict pages accept: through one Trusted Types policy and with the loading script's nonce; from next to
// Leadlight's own script first, then from the collector.

// The script that bundled this code, read while it runs (a classic script's currentScript; null in modules).
const current = globalThis.document?.currentScript as HTMLScriptElement | null | undefined;

/** Leadlight's own script tag (leadlight*.js) when that is what bundled this code: its chunks sit next to it. */
export const ownScript =
  current?.src && /\/leadlight[^/]*\.js(\?|#|$)/.test(current.src) ? current.src : undefined;

interface TrustedUrlPolicy {
  createScriptURL(url: string): unknown;
}
/** Created once per page: a site's `trusted-types` directive may allow the name `leadlight` only once. */
let policy: TrustedUrlPolicy | undefined;
/** The console hears once per page that a chunk came from the collector instead. */
let told = false;

/**
 * Loads a chunk with a script tag, once per page, and resolves with what it put on `globalThis[name]`;
 * `blockRender` makes a chunk requested while `<head>` is still parsing hold the first paint.
 */
export function loadScript<T>(url: string, name: string, blockRender = false): Promise<T> {
  const scope = globalThis as unknown as Record<string, T | undefined>;
  return new Promise<T>((resolve, reject) => {
    if (scope[name]) return resolve(scope[name]);
    const script = document.createElement('script');
    let src: unknown = url;
    try {
      // Pages that enforce Trusted Types take a script URL only through a policy.
      policy ??= (
        globalThis as { trustedTypes?: { createPolicy(name: string, rules: object): TrustedUrlPolicy } }
      ).trustedTypes?.createPolicy('leadlight', { createScriptURL: (u: unknown) => u });
      src = policy?.createScriptURL(url) ?? url;
    } catch {
      // The site's policy list does not allow ours: a plain URL is all we can try.
    }
    script.src = src as string;
    // Under a nonce-based Content-Security-Policy a chunk needs the nonce of the script that loads it.
    script.nonce = current?.nonce ?? '';
    if (blockRender) script.setAttribute('blocking', 'render');
    // A plain Error, not the WorkerError class: the script-tag SDK stays small.
    script.onload = script.onerror = () =>
      scope[name] ? resolve(scope[name]) : reject(new Error(`could not load ${url}`));
    document.head.appendChild(script);
  });
}

/**
 * Loads the chunk `file` from `url` (default: next to Leadlight's own script), and when that fails from the
 * collector (`endpoint`), saying so once in the console: a site that copied only leadlight.js still delivers.
 */
export function loadChunk<T>(
  file: string,
  name: string,
  endpoint: string | undefined,
  url = ownScript ? new URL(file, ownScript).href : `${endpoint}/${file}`,
  blockRender?: boolean,
): Promise<T> {
  const fallback = `${endpoint}/${file}`;
  return loadScript<T>(url, name, blockRender).catch((error) => {
    if (!endpoint || fallback === url) throw error;
    if (!told) console.warn(`[leadlight] ${error.message}; loading ${fallback}`);
    told = true;
    return loadScript<T>(fallback, name, blockRender);
  });
}
