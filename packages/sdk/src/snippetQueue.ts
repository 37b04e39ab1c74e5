/** One call made before leadlight.js arrived: method, arguments, then a resolver (score, flush) or cancel slot (onScore). */
export type QueuedCall = [method: string, args: unknown[], settle?: unknown, cancel?: unknown];

/** The `window.leadlight` stub the loader snippet defines: every method queues its call. */
export interface LeadlightStub {
  q: QueuedCall[];
  [method: string]: unknown;
}

/** Every method of the global API, in the order the snippet defines them. */
export const METHODS = [
  'init',
  'track',
  'identify',
  'group',
  'page',
  'consent',
  'score',
  'onScore',
  'anonymousId',
  'flush',
  'ready',
  'when',
];

/** Defines the queueing stub on `win` unless the SDK (or a stub) is already there. */
export function installStub(win: Window & { leadlight?: unknown }): void {
  if (win.leadlight) return;
  const q: QueuedCall[] = [];
  const stub: LeadlightStub = { q };
  for (const m of METHODS) {
    stub[m] = (...args: unknown[]) => {
      if (m === 'anonymousId') return undefined;
      const call: QueuedCall = [m, args];
      q.push(call);
      if (m === 'score' || m === 'flush')
        return new Promise((resolve) => {
          call[2] = resolve;
        });
      // onScore and when hand back an unsubscribe that works before and after the replay.
      if (m === 'onScore' || m === 'when')
        return () => {
          if (typeof call[3] === 'function') (call[3] as () => void)();
          else call[3] = 1;
        };
      return undefined;
    };
  }
  win.leadlight = stub;
}
