import { type CaptureContext, listen, onPageHide } from './captureContext.js';

/** What an `engagement` event says about one page view (its props). */
export type Engagement = {
  /** Seconds the page was visible during this view, cumulative, one decimal. */
  engagedSeconds: number;
  /** How far down the document (0–100 %) the bottom of the viewport has been; 100 if it does not scroll. */
  scrollDepth: number;
  pageViewId: string;
};

/**
 * Engaged time and deepest scroll of each page view. Time is summed from timestamps at visibility changes (no
 * timer runs, visible or hidden); scroll is read at most once a frame. `send` gets the view's totals when the
 * page is hidden or left (`pagehide`), unless its seconds are 0 or those it last got for this view. Returns
 * `nextView()`, which ends the current view the same way and starts a new one with a new id.
 */
export function captureEngagement(
  ctx: CaptureContext,
  newId: (ms: number) => string,
  send: (engagement: Engagement) => void,
): () => void {
  const win = ctx.window;
  const doc = win.document;
  let pageViewId = '';
  let ms = 0;
  /** When the page last became visible; 0 while it is hidden. */
  let since = 0;
  let depth = 0;
  let pending = false;
  /** The seconds last sent for this view: a hide right after pagehide (or the reverse) sends nothing new. */
  let sent = 0;
  const measure = () => {
    const t = Date.now();
    if (since) ms += t - since;
    since = doc.hidden ? 0 : t;
  };
  // Read right after a frame has been laid out and painted, so the read costs no layout of its own (in the
  // animation frame it would force one: on a long page, still parsing, the costliest thing the SDK did); never
  // at the end of a view, which after an SPA navigation would measure the next page.
  const read = () => {
    pending = false;
    const seen = ((win.scrollY + win.innerHeight) * 100) / doc.documentElement.scrollHeight;
    // A page without layout (scrollHeight 0) gives Infinity: 100, like a page that fits the viewport.
    depth = Math.max(depth, Math.min(100, Math.round(seen)));
  };
  const schedule = () => {
    if (pending) return;
    pending = true;
    win.requestAnimationFrame(() => win.setTimeout(read, 0));
  };
  // Scrolling takes visible time, so a view whose seconds did not change has nothing new to say.
  const end = () => {
    measure();
    const engagedSeconds = Math.round(ms / 100) / 10;
    if (pageViewId && engagedSeconds !== sent) {
      send({ engagedSeconds, scrollDepth: depth, pageViewId });
      // Marked once sent: a run Firefox aborted midway is redone (see onPageHide); a rare second copy is
      // harmless, since one engagement event per page view counts.
      sent = engagedSeconds;
    }
  };
  // Becoming visible only starts the clock (the seconds are those already sent). pagehide, never unload
  // (which would cost the page its back-forward cache).
  listen(ctx, doc, 'visibilitychange', end);
  onPageHide(ctx, end);
  listen(ctx, win, 'scroll', schedule);
  return () => {
    end();
    pageViewId = newId(Date.now());
    ms = since = depth = sent = 0;
    measure();
    schedule();
  };
}
