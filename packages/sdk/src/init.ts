import { browserEnvironment } from './browserEnvironment.js';
import { createLeadlight, type Leadlight } from './createLeadlight.js';
import { installPersonalization } from './personalize/index.js';
import { lazyPersonalization } from './personalize/lazyPersonalization.js';
import type { LeadlightOptions } from './validateOptions.js';

let instance: Leadlight | undefined;

// The module has the deciding part at hand; it still runs in a task of its own (so the page's setup and the
// pass over the DOM never add up to one long task), and only on pages that have something to decide.
const personalization = lazyPersonalization(
  () => new Promise((resolve) => setTimeout(() => resolve({ installPersonalization }), 0)),
);

/** Starts the SDK on this page and returns it; later calls return the same object (and log in debug mode). */
export function init(options: LeadlightOptions): Leadlight {
  instance ??= createLeadlight(browserEnvironment(window, personalization));
  return instance.init(options);
}
