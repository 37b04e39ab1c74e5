/** What every capture module needs: the page, a clock, timers and the SDK's `track`. */
export interface CaptureContext {
  window: Window;
  document: Document;
  now(): number;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(handle: number): void;
  track(type: string, props?: Record<string, unknown>): void;
}

/** Removes what a capture module installed. */
export type Uninstall = () => void;

/** Adds a listener and returns its removal. */
export function listen(
  target: EventTarget,
  type: string,
  handler: (event: Event) => void,
  options: AddEventListenerOptions = { capture: true, passive: true },
): Uninstall {
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
}

/** One removal for many (what a capture module hands back). */
export function uninstallAll(offs: Uninstall[]): Uninstall {
  return () => {
    for (const off of offs) off();
  };
}

/** The element an event hit (a click on text reports the text node's parent). */
export function targetElement(event: Event): Element | null {
  const t = event.target as Node | null;
  if (!t) return null;
  return t.nodeType === 1 ? (t as Element) : t.parentElement;
}
