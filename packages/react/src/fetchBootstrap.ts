import type { ScoreLike } from './scoreLike.js';

/** Options of `fetchBootstrap`. */
export interface FetchBootstrapOptions {
  /** The collector's base URL (the SDK's `endpoint`). */
  endpoint: string;
  /** The site's public key (`pk_…`). */
  siteKey: string;
  /** The page request's `Cookie` header, which carries the SDK's anonymous id (`ll_aid`). */
  cookieHeader: string | string[] | undefined;
  /** How long the page waits for the collector before rendering without a score (default 500 ms). */
  timeoutMs?: number;
  /** The HTTP client (default: the global `fetch`). */
  fetch?: typeof fetch;
}

/** The SDK's anonymous-id cookie and the ids it accepts (packages/sdk identity). */
const COOKIE = 'll_aid';
const VALID_ID = /^[\w-]{8,64}$/;

/** The visitor's anonymous id from a `Cookie` header, if it holds a valid one. */
export function readAnonymousId(cookieHeader: string | string[] | undefined): string | undefined {
  const header = Array.isArray(cookieHeader) ? cookieHeader.join('; ') : (cookieHeader ?? '');
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== COOKIE) continue;
    try {
      const id = decodeURIComponent(part.slice(eq + 1).trim());
      if (VALID_ID.test(id)) return id;
    } catch {
      // a malformed escape: not an id the SDK wrote
    }
  }
  return undefined;
}

/**
 * Asks the collector for the score this visitor's browser would get itself (`GET /v1/score`: the device
 * view, or the contact view for a verified browser) to bootstrap the first render. Resolves undefined for
 * a visitor without the cookie, and on any error or timeout: the page renders anyway.
 */
export async function fetchBootstrap(options: FetchBootstrapOptions): Promise<ScoreLike | undefined> {
  const anonymousId = readAnonymousId(options.cookieHeader);
  if (!anonymousId) return undefined;
  const query = new URLSearchParams({ siteKey: options.siteKey, anonymousId });
  try {
    const response = await (options.fetch ?? fetch)(
      `${options.endpoint.replace(/\/+$/, '')}/v1/score?${query}`,
      { signal: AbortSignal.timeout(options.timeoutMs ?? 500), headers: { accept: 'application/json' } },
    );
    if (!response.ok) return undefined;
    const score = ((await response.json()) as { score?: ScoreLike } | null)?.score;
    return typeof score?.total === 'number' && typeof score.stage === 'string' ? score : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The bootstrap (alone, or inside the page's data) as JSON that is safe inside
 * `<script type="application/json">`: no `</script>` or `<!--` can end the element early.
 */
export function serializeBootstrap(data: ScoreLike | object | undefined): string {
  return (JSON.stringify(data ?? null) as string)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
