import type { ScoreResult, TrackedEvent } from '@leadlight/scoring-core';
import type { CheckedQueueOptions, QueueClient } from '@leadlight/worker';
import type { Environment } from '../src/createLeadlight.js';
import type { Personalizer } from '../src/personalize/index.js';

/** A queue double for jsdom: records what the SDK hands it (the real queue runs in the browser suites). */
export interface RecordingQueue extends QueueClient {
  options: CheckedQueueOptions;
  events: TrackedEvent[];
  purged: number;
  closed: boolean;
  emit(score: ScoreResult): void;
}

/** A test environment over jsdom's window, with a recording queue and personalizer. */
export interface TestEnvironment extends Environment {
  queues: RecordingQueue[];
  /** Every event enqueued, across queues. */
  events(): TrackedEvent[];
  observed: TrackedEvent[];
  exitIntents: number;
  whenCalls: string[];
}

export function testEnvironment(overrides: Partial<Environment> = {}): TestEnvironment {
  let seed = 1;
  const env: TestEnvironment = {
    window,
    random: (bytes) => {
      for (let i = 0; i < bytes.length; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        bytes[i] = seed & 0xff;
      }
      return bytes;
    },
    queues: [],
    events: () => env.queues.flatMap((q) => q.events),
    observed: [],
    exitIntents: 0,
    whenCalls: [],
    connectQueue(options) {
      const listeners = new Set<(s: ScoreResult) => void>();
      const q: RecordingQueue = {
        options,
        events: [],
        purged: 0,
        closed: false,
        enqueue: (e) => void q.events.push(structuredClone(e)),
        flush: async () => ({ sent: q.events.length, pending: 0 }),
        score: async () => undefined,
        onScore: (cb) => {
          listeners.add(cb);
          return () => listeners.delete(cb);
        },
        purge: async () => {
          q.purged++;
          q.events = [];
        },
        close: () => {
          q.closed = true;
        },
        stats: async () => {
          throw new Error('not recorded');
        },
        mode: 'page',
        emit: (s) => {
          for (const cb of listeners) cb(s);
        },
      };
      env.queues.push(q);
      return q;
    },
    installPersonalization: (): Personalizer => ({
      observe: (e) => void env.observed.push(e),
      exitIntent: () => void env.exitIntents++,
      when: (condition) => {
        env.whenCalls.push(condition);
        return () => void env.whenCalls.push(`off:${condition}`);
      },
      stop: () => {},
    }),
    ...overrides,
  };
  return env;
}

/** Forgets cookies, storage and the DOM between tests. */
export function resetPage(): void {
  for (const c of document.cookie.split('; ')) {
    const name = c.split('=')[0];
    if (name) document.cookie = `${name}=; Max-Age=0; Path=/`;
  }
  localStorage.clear();
  document.body.innerHTML = '';
  document.title = 'Test page';
  history.replaceState(null, '', '/');
}

/** Clicks an element the way a browser does for a left click, middle click or keyboard activation. */
export function click(el: Element, how: 'left' | 'middle' | 'keyboard' | 'right' = 'left'): void {
  const init = { bubbles: true, cancelable: true, composed: true };
  if (how === 'middle') el.dispatchEvent(new MouseEvent('auxclick', { ...init, button: 1 }));
  else if (how === 'right') el.dispatchEvent(new MouseEvent('auxclick', { ...init, button: 2 }));
  else el.dispatchEvent(new MouseEvent('click', { ...init, button: 0, detail: how === 'keyboard' ? 0 : 1 }));
}

/** The methods `window.leadlight` and `init()` have (DESIGN.md §4), restated here so tests check the contract. */
export const API_METHODS = [
  'init',
  'track',
  'identify',
  'page',
  'consent',
  'score',
  'onScore',
  'anonymousId',
  'flush',
  'ready',
  'when',
];
