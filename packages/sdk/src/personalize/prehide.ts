/** Elements whose visibility personalization decides (exit popups excepted: a closed dialog is hidden anyway). */
export const CANDIDATES =
  '[data-ll-if],[data-ll-min-score],[data-ll-max-score],[data-ll-stage],[data-ll-variants]>*';

/**
 * The pre-first-paint rule: candidates stay hidden until personalization marks them `data-ll-shown`;
 * once the page gives up waiting (class `ll-off` on <html>), `data-ll-default` elements show.
 */
export const PREHIDE_CSS = `:is(${CANDIDATES}):not([data-ll-shown],[data-ll-exit-popup],.ll-off [data-ll-default]){display:none!important}`;

/**
 * Runs inline in <head> from the loader snippet: hides candidates before the first paint, with the
 * nonce of the snippet's own script tag (strict CSP) unless one is given, and shows the
 * `data-ll-default` elements if leadlight.js has not taken over after `waitMs` (blocked or offline).
 */
export function prehide(nonce?: string, waitMs = 3000): void {
  const d = document;
  const root = d.documentElement;
  const style = d.createElement('style');
  style.nonce = nonce ?? (d.currentScript as HTMLScriptElement | null)?.nonce ?? '';
  style.textContent = PREHIDE_CSS;
  (d.head || root).appendChild(style);
  setTimeout(() => root.hasAttribute('data-ll-ready') || root.classList.add('ll-off'), waitMs);
}
