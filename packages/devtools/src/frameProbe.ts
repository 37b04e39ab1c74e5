// Real-browser test support: a requestAnimationFrame probe for the personalization suites, installed with
// addInitScript so it runs before anything in every document. requestAnimationFrame callbacks run right
// before each paint, so what it sees is what the visitor would see in that frame.

/** Runs first in every document: counts frames and notes each variant visible in one. */
export const PROBE = `(() => {
  const probe = (window.__probe = { frames: 0, violations: [], firstShown: -1, firstWithBody: -1 });
  const expected = new URLSearchParams(location.search).get('expect');
  const tick = () => {
    probe.frames++;
    if (probe.firstWithBody < 0 && document.querySelector('[data-variant]')) probe.firstWithBody = probe.frames;
    for (const el of document.querySelectorAll('[data-variant]')) {
      if (!el.checkVisibility()) continue;
      if (el.id !== expected) probe.violations.push(el.id + '@' + probe.frames);
      else if (probe.firstShown < 0) probe.firstShown = probe.frames;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/** What the probe found, read back with `window.__probe`. */
export interface Probe {
  frames: number;
  /** The first frame in which the variants existed at all. */
  firstWithBody: number;
  violations: string[];
  firstShown: number;
}
