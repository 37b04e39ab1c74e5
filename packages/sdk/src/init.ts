import { browserEnvironment } from './browserEnvironment.js';
import { createLeadlight, type Leadlight } from './createLeadlight.js';
import { installPersonalization } from './personalize/index.js';
import type { LeadlightOptions } from './validateOptions.js';

let instance: Leadlight | undefined;

/** Starts the SDK on this page and returns it; later calls return the same object (and log in debug mode). */
export function init(options: LeadlightOptions): Leadlight {
  instance ??= createLeadlight(browserEnvironment(window, installPersonalization));
  return instance.init(options);
}
