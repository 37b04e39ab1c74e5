// The scoring chunk (dist/leadlight-scoring.<hash>.js): scoring-core's fold and event checks, loaded by an
// in-page queue only once the page wants live scores (its own onScore callbacks, personalization).
import { deviceScoring, type QueueScoring } from './queueScoring.js';

(globalThis as unknown as { LeadlightScoring: QueueScoring }).LeadlightScoring = deviceScoring;
