import { connectQueue } from '@leadlight/worker';
import type { Environment } from './createLeadlight.js';
import { installPersonalization } from './personalize/index.js';

/** The real page: its window, clock, crypto, timers, the worker's queue and personalization. */
export function browserEnvironment(win: Window, scriptOrigin?: string): Environment {
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
