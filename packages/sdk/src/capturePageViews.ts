import { type CaptureContext, listen } from './captureContext.js';

/** History navigations within this window coalesce: a storm of pushState calls records one page view. */
const SETTLE_MS = 100;

/**
 * Page views on first load (when shown, for prerendered pages), `pushState` / `replaceState` / `popstate`,
 * `hashchange` when asked, and back-forward-cache restores.
 */
export function capturePageViews(
  ctx: CaptureContext,
  hashRouting: boolean,
  /** Called before each new page view (SPA navigation, bfcache restore): ends the previous page's state. */
  onLeave: () => void,
  /** Records one page view (the SDK adds the page context and UTM parameters). */
  pageView: () => void,
): void {
  const win = ctx.window;
  const doc = win.document;
  const key = () => {
    const l = win.location;
    return l.origin + l.pathname + l.search + (hashRouting ? l.hash : '');
  };
  let lastKey = '';
  let timer: number | undefined;
  const record = () => {
    lastKey = key();
    pageView();
  };
  const leaveAndRecord = () => {
    onLeave();
    record();
  };
  const settle = () => {
    timer = undefined;
    if (key() !== lastKey) leaveAndRecord();
  };
  const navigated = () => {
    if (timer === undefined) timer = win.setTimeout(settle, SETTLE_MS);
  };

  const history = win.history;
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    const patched = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      navigated();
      return result;
    };
    history[method] = patched;
    ctx.signal.addEventListener('abort', () => {
      // Someone may have wrapped us since; only restore our own patch.
      if (history[method] === patched) history[method] = original;
    });
  }
  listen(ctx, win, 'popstate', navigated);
  if (hashRouting) listen(ctx, win, 'hashchange', navigated);
  listen(ctx, win, 'pageshow', (e) => {
    // A back-forward-cache restore is a new view of the page; a normal load was counted already.
    if ((e as PageTransitionEvent).persisted) leaveAndRecord();
  });
  // A prerendered page is counted when the visitor actually sees it (the event fires once).
  if ((doc as Document & { prerendering?: boolean }).prerendering)
    listen(ctx, doc, 'prerenderingchange', record);
  else record();
  ctx.signal.addEventListener('abort', () => win.clearTimeout(timer));
}
