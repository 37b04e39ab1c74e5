import {
  evaluate,
  type ScoringModel,
  type Stage,
  stageRank,
  type TrackedEvent,
} from '@leadlight/scoring-core';

/** A contact and its events, as the what-if view rescoring needs them. */
export interface WhatIfInput {
  id: string;
  name: string;
  stage: Stage;
  events: TrackedEvent[];
}

/** How a contact would score under the draft model. */
export interface WhatIfRow {
  id: string;
  name: string;
  stage: Stage;
  currentTotal: number;
  draftTotal: number;
  /** Meets the MQL thresholds now, under the published model / the draft. */
  currentMql: boolean;
  draftMql: boolean;
  /** "crosses": would newly become an MQL; "drops": meets today, would not under the draft; else "same". */
  change: 'crosses' | 'drops' | 'same';
}

/**
 * Rescores each contact's stored events with the published and the draft model, both at `now`, and says who
 * would cross the MQL line either way. A contact already at MQL or beyond never "crosses" again.
 */
export function compareModels(
  contacts: WhatIfInput[],
  published: ScoringModel,
  draft: ScoringModel,
  now: number,
): WhatIfRow[] {
  return contacts
    .map((contact) => {
      const current = evaluate(published, contact.events, { now });
      const draftScore = evaluate(draft, contact.events, { now });
      const wasQualified = current.mql || stageRank(contact.stage) >= stageRank('mql');
      const change: WhatIfRow['change'] =
        draftScore.mql && !wasQualified ? 'crosses' : current.mql && !draftScore.mql ? 'drops' : 'same';
      return {
        id: contact.id,
        name: contact.name,
        stage: contact.stage,
        currentTotal: current.total,
        draftTotal: draftScore.total,
        currentMql: current.mql,
        draftMql: draftScore.mql,
        change,
      };
    })
    .sort((a, b) => rank(a.change) - rank(b.change) || b.draftTotal - a.draftTotal);
}

function rank(change: WhatIfRow['change']): number {
  return change === 'crosses' ? 0 : change === 'drops' ? 1 : 2;
}
