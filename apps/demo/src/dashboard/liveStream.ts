// The collector's live stream (`GET /v1/stream`): any change it announces refreshes the dashboard.
import type { LiveEventType } from '@leadlight/scoring-core/wire';

/** The event names the collector sends; a new one on the collector is a type error here until it is decided. */
const LIVE_EVENTS = { score: true, stage: true, note: true } satisfies Record<LiveEventType, true>;

/** Changes arriving within this many ms refresh once. */
const SETTLE_MS = 250;

/** The live connection: `connect` (again) after sign-in, `close` at sign-out. */
export interface LiveStream {
  connect(): void;
  close(): void;
}

/**
 * Subscribes to the stream, calling `onChange` once changes settle, and shows the connection's state in
 * `indicator`. `open` makes the EventSource (tests pass their own).
 */
export function liveStream(
  indicator: HTMLElement,
  onChange: () => void,
  open: (url: string) => EventSource = (url) => new EventSource(url),
): LiveStream {
  let stream: EventSource | undefined;
  return {
    connect() {
      stream?.close();
      // Same origin: EventSource sends the session cookie, so no key ever appears in the URL.
      stream = open('/v1/stream');
      let timer: ReturnType<typeof setTimeout> | undefined;
      const changed = () => {
        clearTimeout(timer);
        timer = setTimeout(onChange, SETTLE_MS);
      };
      for (const name of Object.keys(LIVE_EVENTS)) stream.addEventListener(name, changed);
      stream.onopen = () => {
        indicator.dataset.state = 'live';
        indicator.textContent = 'Live';
      };
      stream.onerror = () => {
        indicator.dataset.state = 'offline';
        indicator.textContent = 'Reconnecting…';
      };
    },
    close() {
      stream?.close();
    },
  };
}
