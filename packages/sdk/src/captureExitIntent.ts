import { type CaptureContext, listen } from './captureContext.js';
import type { TouchExitRule } from './validateOptions.js';

/** Upward scroll speed (px/ms) and distance (px) that count as "leaving" on touch devices. */
const SCROLL_SPEED = 1.5;
const SCROLL_DISTANCE = 60;

/**
 * Exit intent, at most once per page view: on desktop the pointer leaving through the top edge of the
 * viewport; on touch-first devices (no hover, coarse pointer) the configured rules — a fast upward scroll
 * (reaching for the address bar), the back button on the landing page, or the tab being hidden. Returns
 * `reset()`, which re-arms detection for a new page view.
 */
export function captureExitIntent(
  ctx: CaptureContext,
  touchRules: TouchExitRule[],
  onExitIntent: () => void,
): () => void {
  const win = ctx.window;
  const doc = win.document;
  let fired = false;
  const fire = () => {
    if (fired) return;
    fired = true;
    onExitIntent();
  };
  if (!win.matchMedia?.('(hover: none) and (pointer: coarse)').matches) {
    listen(ctx, doc, 'mouseout', (e) => {
      const m = e as MouseEvent;
      if (!m.relatedTarget && m.clientY <= 0) fire();
    });
  } else {
    const rules = new Set(touchRules);
    if (rules.has('scroll-up')) {
      let lastY = win.scrollY;
      let lastT = Date.now();
      listen(ctx, win, 'scroll', () => {
        const y = win.scrollY;
        const t = Date.now();
        const up = lastY - y;
        if (up >= SCROLL_DISTANCE && up / Math.max(t - lastT, 1) >= SCROLL_SPEED) fire();
        lastY = y;
        lastT = t;
      });
    }
    if (rules.has('hidden')) {
      listen(ctx, doc, 'visibilitychange', () => {
        if (doc.visibilityState === 'hidden') fire();
      });
    }
    if (rules.has('back')) {
      // One extra history entry on the landing page: the back button then lands on it (popstate) instead of
      // leaving. Opt-in, and disarmed as soon as the site navigates itself, so SPA routers keep their history.
      const url = win.location.href;
      const marker = { leadlightExit: true };
      win.history.pushState(marker, '', url);
      let armed = true;
      listen(ctx, win, 'popstate', (e) => {
        if (!armed) return;
        armed = false;
        if ((e as PopStateEvent).state !== marker && win.location.href === url) fire();
      });
    }
  }
  return () => {
    fired = false;
  };
}
