import type { QueueDeps } from './queueDeps.js';

/** `deps.fetch`, aborted after `ms` on the queue's own timers (which tests drive). */
export async function fetchWithTimeout(
  deps: Pick<QueueDeps, 'fetch' | 'setTimeout' | 'clearTimeout'>,
  url: string,
  init: RequestInit,
  ms: number,
): Promise<Response> {
  const abort = new AbortController();
  const handle = deps.setTimeout(() => abort.abort(), ms);
  try {
    return await deps.fetch(url, { ...init, signal: abort.signal });
  } finally {
    deps.clearTimeout(handle);
  }
}
