import { type CaptureContext, listen, type Uninstall, uninstallAll } from './captureContext.js';
import type { TouchExitRule } from './validateOptions.js';

/** Options of exit-intent capture. */
export interface ExitIntentOptions {
  touchRules: TouchExitRule[];
  /** True on touch-first devices (no hover, coarse pointer): the touch rules apply instead of the pointer rule. */
  touch: boolean;
  onExitIntent(): void;
}

/** The handle the SDK keeps: `reset()` re-arms detection for a new page view. */
export interface ExitIntentCapture {
  reset(): void;
  uninstall: Uninstall;
}

/** Upward scroll speed (px/ms) and distance (px) that count as "leaving" on touch devices. */
const SCROLL_SPEED = 1.5;
const SCROLL_DISTANCE = 60;

/**
 * Exit intent, at most once per page view: on desktop the pointer leaving through the top edge of the
 * viewport; on touch devices the configured rules — a fast upward scroll (reaching for the address bar),
 * the back button on the landing page, or the tab being hidden.
 */
export function captureExitIntent(ctx: CaptureContext, options: ExitIntentOptions): ExitIntentCapture {
  const { window: win, document: doc } = ctx;
  let fired = false;
  const fire = () => {
    if (fired) return;
    fired = true;
    options.onExitIntent();
  };
  const offs: Uninstall[] = [];
  if (!options.touch) {
    offs.push(
      listen(doc, 'mouseout', (e) => {
        const m = e as MouseEvent;
        if (!m.relatedTarget && m.clientY <= 0) fire();
      }),
    );
  } else {
    const rules = new Set(options.touchRules);
    if (rules.has('scroll-up')) {
      let lastY = win.scrollY;
      let lastT = ctx.now();
      offs.push(
        listen(win, 'scroll', () => {
          const y = win.scrollY;
          const t = ctx.now();
          const up = lastY - y;
          if (up >= SCROLL_DISTANCE && up / Math.max(t - lastT, 1) >= SCROLL_SPEED) fire();
          lastY = y;
          lastT = t;
        }),
      );
    }
    if (rules.has('hidden')) {
      offs.push(
        listen(doc, 'visibilitychange', () => {
          if (doc.visibilityState === 'hidden') fire();
        }),
      );
    }
    if (rules.has('back')) {
      // One extra history entry on the landing page: the back button then lands on it (popstate) instead of
      // leaving. Opt-in, and disarmed as soon as the site navigates itself, so SPA routers keep their history.
      const url = win.location.href;
      const marker = { leadlightExit: true };
      win.history.pushState(marker, '', url);
      let armed = true;
      offs.push(
        listen(win, 'popstate', (e) => {
          if (!armed) return;
          armed = false;
          if ((e as PopStateEvent).state !== marker && win.location.href === url) fire();
        }),
      );
    }
  }
  return {
    reset() {
      fired = false;
    },
    uninstall: uninstallAll(offs),
  };
}
