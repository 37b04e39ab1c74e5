import { connectQueue } from '@leadlight/worker';
import type { Environment } from './createLeadlight.js';

/** The real page: its window, clock, crypto, timers, the worker's queue, and the given personalization. */
export function browserEnvironment(
  win: Window,
  installPersonalization: Environment['installPersonalization'],
  scriptOrigin?: string,
): Environment {
  return {
    window: win,
    now: () => Date.now(),
    random: (bytes) => win.crypto.getRandomValues(bytes),
    setTimeout: (fn, ms) => win.setTimeout(fn, ms),
    clearTimeout: (handle) => win.clearTimeout(handle),
    connectQueue,
    installPersonalization,
    scriptOrigin,
  };
}
