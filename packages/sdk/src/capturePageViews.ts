import { type CaptureContext, listen, type Uninstall, uninstallAll } from './captureContext.js';

/** Options of page-view capture. */
export interface PageViewOptions {
  hashRouting: boolean;
  /** Called before each new page view (SPA navigation, bfcache restore): ends the previous page's state. */
  onLeave(): void;
  /** Records one page view (the SDK adds the page context and UTM parameters). */
  pageView(): void;
}

/** History navigations within this window coalesce: a storm of pushState calls records one page view. */
const SETTLE_MS = 100;

/**
 * Page views on first load (when shown, for prerendered pages), `pushState` / `replaceState` / `popstate`,
 * `hashchange` when asked, and back-forward-cache restores.
 */
export function capturePageViews(ctx: CaptureContext, options: PageViewOptions): Uninstall {
  const { window: win, document: doc } = ctx;
  const key = () => {
    const l = win.location;
    return l.origin + l.pathname + l.search + (options.hashRouting ? l.hash : '');
  };
  let lastKey = '';
  let timer: number | undefined;
  const record = () => {
    lastKey = key();
    options.pageView();
  };
  const settle = () => {
    timer = undefined;
    if (key() === lastKey) return;
    options.onLeave();
    record();
  };
  const navigated = () => {
    if (timer === undefined) timer = ctx.setTimeout(settle, SETTLE_MS);
  };

  const offs: Uninstall[] = [];
  const history = win.history;
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    const patched = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      navigated();
      return result;
    };
    history[method] = patched;
    offs.push(() => {
      // Someone may have wrapped us since; only restore our own patch.
      if (history[method] === patched) history[method] = original;
    });
  }
  offs.push(listen(win, 'popstate', navigated));
  if (options.hashRouting) offs.push(listen(win, 'hashchange', navigated));
  offs.push(
    listen(win, 'pageshow', (e) => {
      // A back-forward-cache restore is a new view of the page; a normal load was counted already.
      if ((e as PageTransitionEvent).persisted) {
        options.onLeave();
        record();
      }
    }),
  );

  // A prerendered page is counted when the visitor actually sees it.
  if ((doc as Document & { prerendering?: boolean }).prerendering) {
    const off = listen(doc, 'prerenderingchange', () => {
      off();
      record();
    });
    offs.push(off);
  } else {
    record();
  }
  offs.push(() => timer !== undefined && ctx.clearTimeout(timer));
  return uninstallAll(offs);
}
