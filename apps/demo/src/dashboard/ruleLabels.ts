import type { ScoringModel } from '@leadlight/scoring-core';

/**
 * Rule ids to the labels people read, from the given models (a later model's label wins): breakdowns and
 * the what-if name rules by label; webhooks, exports and the CSV keep ids.
 */
export function ruleLabels(...models: (ScoringModel | undefined)[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const model of models) {
    for (const rule of [...(model?.rules ?? []), ...(model?.fit ?? [])])
      if (rule.label) labels.set(rule.id, rule.label);
  }
  return labels;
}
