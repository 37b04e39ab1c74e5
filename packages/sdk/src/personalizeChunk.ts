// Entry of dist/leadlight-personalize.js: the deciding part of personalization, loaded by leadlight.js
// only on pages that have something to decide.
import { installPersonalization } from './personalize/installPersonalization.js';
import type { PersonalizeChunk } from './personalize/lazyPersonalization.js';

(globalThis as { LeadlightPersonalize?: PersonalizeChunk }).LeadlightPersonalize = { installPersonalization };
