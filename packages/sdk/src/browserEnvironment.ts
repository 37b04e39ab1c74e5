import { connectCheckedQueue } from '@leadlight/worker';
import type { Environment } from './createLeadlight.js';

/** The real page: its window and crypto, the worker's queue, and the given personalization. */
export function browserEnvironment(
  win: Window,
  installPersonalization: Environment['installPersonalization'],
  scriptOrigin?: string,
): Environment {
  return {
    window: win,
    random: (bytes) => win.crypto.getRandomValues(bytes),
    connectQueue: connectCheckedQueue,
    installPersonalization,
    scriptOrigin,
  };
}
