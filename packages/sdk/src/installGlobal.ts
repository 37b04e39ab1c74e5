import type { Environment, Leadlight } from './createLeadlight.js';
import { createLeadlight } from './createLeadlight.js';
import { readScriptOptions } from './readScriptOptions.js';
import type { LeadlightStub, QueuedCall } from './snippetQueue.js';

/**
 * Takes over `window.leadlight`: auto-inits from the script tag's data attributes (a queued `init` call's
 * options win over them), replays the calls the snippet queued in order — calls made while replaying join the
 * end of the queue — and then turns the stub object itself into the SDK, so references kept by the page work.
 */
export function installGlobal(
  win: Window & { leadlight?: unknown },
  script: HTMLScriptElement | null,
  makeEnvironment: (scriptOrigin?: string) => Environment,
): Leadlight | undefined {
  const existing = win.leadlight as (Partial<Leadlight> & Partial<LeadlightStub>) | undefined;
  if (existing && !Array.isArray(existing.q) && typeof existing.track === 'function') {
    return existing as Leadlight; // loaded twice: the first copy stays in charge
  }
  // A script element's `src` property is already an absolute URL.
  const api = createLeadlight(makeEnvironment(script?.src ? new URL(script.src).origin : undefined));
  const fromTag = script ? readScriptOptions(script) : {};
  const q: QueuedCall[] = existing?.q ?? [];
  const queuedInit = q.find((call) => call[0] === 'init');
  if (queuedInit) {
    queuedInit[1] = [{ ...fromTag, ...(queuedInit[1][0] as object) }];
  } else if (fromTag.siteKey) {
    api.init(fromTag as Parameters<Leadlight['init']>[0]);
  }
  const target = (existing ?? {}) as Record<string, unknown>;
  if (!existing) win.leadlight = target;
  for (let call = q.shift(); call; call = q.shift()) replay(api, call);
  Object.assign(target, api);
  delete target.q;
  return api;
}

function replay(api: Leadlight, call: QueuedCall): void {
  const [method, args, settle, cancel] = call;
  const fn = api[method as keyof Leadlight] as ((...a: unknown[]) => unknown) | undefined;
  if (!fn || cancel === 1) return;
  const result = fn(...args);
  if (typeof settle === 'function') (settle as (v: unknown) => void)(result);
  if (typeof result === 'function') call[3] = result;
}
