import { listenPageHide } from '@leadlight/worker';

/** What every capture module needs: the page, the SDK's `track`, and when to stop. */
export interface CaptureContext {
  window: Window;
  track(type: string, props?: Record<string, unknown>): void;
  /** Aborted by `destroy()`: every listener is added with it, and modules undo their other changes on it. */
  signal: AbortSignal;
}

/** Adds a passive capturing listener that goes away with the SDK. */
export function listen(
  ctx: CaptureContext,
  target: EventTarget,
  type: string,
  handler: (event: Event) => void,
): void {
  target.addEventListener(type, handler, { capture: true, passive: true, signal: ctx.signal });
}

/** Listens to the page's `pagehide` like `listen`; the handler runs again should Firefox abort it (see listenPageHide). */
export function onPageHide(ctx: CaptureContext, handler: (event: Event) => void): void {
  listenPageHide(ctx.window, handler, { capture: true, passive: true, signal: ctx.signal });
}

/** The element an event hit (a click on text reports the text node's parent). */
export function targetElement(event: Event): Element | null {
  const t = event.target as Node | null;
  if (!t) return null;
  return t.nodeType === 1 ? (t as Element) : t.parentElement;
}
