import { describe, expect, it } from 'vitest';
import { listenPageHide } from './listenPageHide.js';

/** A target that dispatches like a browser, except that it can abort one listener's run, as Firefox does. */
const fakeWindow = () => {
  const listeners: ((event: Event) => void)[] = [];
  return {
    target: {
      addEventListener: (_type: string, fn: (event: Event) => void) => listeners.push(fn),
    } as unknown as EventTarget,
    hide({ abortListener = -1 } = {}) {
      listeners.forEach((listener, i) => {
        try {
          listener(new Event('pagehide'));
        } catch {
          if (i !== abortListener) throw new Error('only the aborted listener may stop');
        }
      });
    },
  };
};

describe('listenPageHide', () => {
  it('runs the handler once when its first run finishes', () => {
    const page = fakeWindow();
    let runs = 0;
    listenPageHide(page.target, () => runs++);
    page.hide();
    expect(runs).toBe(1);
  });

  it('runs the handler again when its first run was aborted, and each pagehide afresh', () => {
    const page = fakeWindow();
    const sent: string[] = [];
    let queued = ['a', 'b', 'c'];
    let aborting = true;
    listenPageHide(page.target, () => {
      for (const id of queued) {
        if (aborting && id === 'b') {
          aborting = false;
          throw new Error('aborted by the browser');
        }
        // Marks each event done before sending it, as a handler must.
        queued = queued.filter((q) => q !== id);
        sent.push(id);
      }
    });
    page.hide({ abortListener: 0 });
    expect(sent).toEqual(['a', 'b', 'c']);
    queued = ['d'];
    page.hide(); // shown again from the back-forward cache, then hidden
    expect(sent).toEqual(['a', 'b', 'c', 'd']);
  });
});
