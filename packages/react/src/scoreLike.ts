import type { Leadlight } from '@leadlight/sdk';

/** The score the SDK reports and the collector answers (scoring-core's `ScoreResult`). */
export type LeadScore = Parameters<Parameters<Leadlight['onScore']>[0]>[0];

/** The lifecycle stage of a score (`visitor`, `lead`, `mql`, `sql`, `opportunity`, `customer`). */
export type Stage = LeadScore['stage'];

/** A score as far as the bindings read it: `total` and `stage` (a bootstrap may carry the rest). */
export type ScoreLike = Pick<LeadScore, 'total' | 'stage'> & Partial<LeadScore>;
