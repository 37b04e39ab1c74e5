import {
  evaluate,
  type ScoreResult,
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

/** A threshold a contact misses under a model: what it needs and what it has. */
export interface Miss {
  /** `identified`: still an anonymous visitor (MQL needs an email); else the threshold it is below. */
  threshold: 'identified' | 'total' | 'fit' | 'engagement';
  need?: number;
  have?: number;
}

/** How one rule's points for a contact differ between the published model and the draft. */
export interface RuleChange {
  rule: string;
  before: number;
  after: number;
}

/** How a contact would score under the draft model. */
export interface WhatIfRow {
  id: string;
  name: string;
  stage: Stage;
  currentTotal: number;
  draftTotal: number;
  /** draftTotal − currentTotal, rounded to 2 decimals. */
  delta: number;
  /** Meets the MQL thresholds now, under the published model / the draft. */
  currentMql: boolean;
  draftMql: boolean;
  /** "crosses": would newly become an MQL; "drops": meets today, would not under the draft; else "same". */
  change: 'crosses' | 'drops' | 'same';
  /** Why the contact is below the line under the draft (empty when it meets every threshold). */
  misses: Miss[];
  /** Rules whose points differ, biggest difference first. */
  rules: RuleChange[];
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The MQL thresholds a score misses under a model (the MQL line is every threshold given, and an email). */
export function missedThresholds(model: ScoringModel, score: ScoreResult): Miss[] {
  const misses: Miss[] = [];
  if (score.stage === 'visitor') misses.push({ threshold: 'identified' });
  for (const threshold of ['total', 'fit', 'engagement'] as const) {
    const need = model.mql[threshold];
    if (need !== undefined && score[threshold] < need)
      misses.push({ threshold, need, have: score[threshold] });
  }
  return misses;
}

function ruleChanges(current: ScoreResult, draft: ScoreResult): RuleChange[] {
  const points = new Map<string, { before: number; after: number }>();
  for (const b of current.breakdown) points.set(b.rule, { before: b.points, after: 0 });
  for (const b of draft.breakdown) {
    const entry = points.get(b.rule) ?? { before: 0, after: 0 };
    entry.after = b.points;
    points.set(b.rule, entry);
  }
  return [...points]
    .map(([rule, p]) => ({ rule, before: round(p.before), after: round(p.after) }))
    .filter((r) => r.before !== r.after)
    .sort(
      (a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || (a.rule < b.rule ? -1 : 1),
    );
}

/**
 * Rescores each contact's stored events with the published and the draft model, both at `now`, and says who
 * would cross the MQL line either way, by how much each score moves, which rules move it, and which
 * thresholds keep a contact below the line. A contact already at MQL or beyond never "crosses" again.
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
        delta: round(draftScore.total - current.total),
        currentMql: current.mql,
        draftMql: draftScore.mql,
        change,
        misses: draftScore.mql ? [] : missedThresholds(draft, draftScore),
        rules: ruleChanges(current, draftScore),
      };
    })
    .sort(
      (a, b) =>
        rank(a.change) - rank(b.change) ||
        Math.abs(b.delta) - Math.abs(a.delta) ||
        b.draftTotal - a.draftTotal,
    );
}

function rank(change: WhatIfRow['change']): number {
  return change === 'crosses' ? 0 : change === 'drops' ? 1 : 2;
}

/** One bin of the distribution of score changes. */
export interface DeltaBin {
  label: string;
  count: number;
}

/** Magnitudes where the bins change: under 5 points, 5 to 10, 10 to 20, 20 and more. */
const STEPS = [5, 10, 20];

function binIndex(delta: number): number {
  if (delta === 0) return 4;
  const size = Math.abs(delta);
  const step = STEPS.filter((edge) => size >= edge).length; // 0: under 5 … 3: 20 and more
  return delta < 0 ? 3 - step : 5 + step;
}

/**
 * Bins the score changes: "no change" in the middle, decreases left and increases right, by size (under
 * 5 points, 5–10, 10–20, 20 and more), the same bins for every draft so two drafts compare at a glance.
 */
export function deltaBins(rows: Pick<WhatIfRow, 'delta'>[]): DeltaBin[] {
  const labels = [
    'down 20+',
    'down 10–20',
    'down 5–10',
    'down < 5',
    'no change',
    'up < 5',
    'up 5–10',
    'up 10–20',
    'up 20+',
  ];
  const bins = labels.map((label) => ({ label, count: 0 }));
  for (const { delta } of rows) (bins[binIndex(delta)] as DeltaBin).count += 1;
  return bins;
}
