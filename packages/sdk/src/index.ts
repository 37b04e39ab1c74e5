export type { FlushResult } from '@leadlight/worker';
export { createLeadlight, type Environment, type Leadlight } from './createLeadlight.js';
export { init } from './init.js';
export { LeadlightError, type LeadlightErrorCode } from './leadlightError.js';
export {
  type ConsentMode,
  DEFAULT_DOWNLOAD_EXTENSIONS,
  type LeadlightOptions,
  type TouchExitRule,
} from './validateOptions.js';
