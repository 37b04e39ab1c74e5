// The Model review page: how well today's model predicted an outcome, which rules carry it, the scores of won
// and lost leads, channels with costs, and re-fitted points to try in the what-if or publish; CRM outcomes
// come in from a CSV file.
import type { ScoringModel } from '@leadlight/scoring-core';
import type { ModelReview, ReviewOutcome } from '@leadlight/scoring-core/wire';
import { formatAgo, formatPercent } from '../format.js';
import type { DashboardApi } from './api.js';
import { el } from './element.js';
import { mountOutcomeImport } from './outcomeImport.js';
import {
  channelsSection,
  distributionSection,
  liftSection,
  outcomeName,
  suggestionTable,
} from './reviewSections.js';
import { ruleLabels } from './ruleLabels.js';

/** What the page asks of the rest of the dashboard. */
export interface ReviewHooks {
  /** Loads a model into the model editor's draft and shows the what-if. */
  applyToWhatIf(model: ScoringModel): Promise<void>;
  /** A confirmation line under the top bar. */
  confirm(text: string): void;
  now(): number;
}

const auc = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : value.toFixed(3);

/** Mounts the review page into `root`; `load` fetches the review of the chosen outcome. */
export function mountModelReview(
  root: HTMLElement,
  api: DashboardApi,
  siteKey: string,
  hooks: ReviewHooks,
): { load(refresh?: boolean): Promise<void> } {
  const picker = el(
    'select',
    { id: 'review-outcome' },
    ...(['sql', 'opportunity', 'customer'] as const).map((o) =>
      el('option', { value: o }, `Reached ${outcomeName(o)}`),
    ),
  );
  const refreshButton = el(
    'button',
    { type: 'button', class: 'btn btn-small', 'data-action': 'refresh-review' },
    'Recompute',
  );
  const status = el('p', { class: 'model-status', role: 'status', id: 'review-status' });
  const body = el('div', { class: 'review-body' });

  const load = async (refresh = false) => {
    status.textContent = 'Reviewing the model against the outcomes…';
    const outcome = picker.value as ReviewOutcome;
    try {
      const [review, model] = await Promise.all([api.review(outcome, refresh), api.model(siteKey)]);
      // An answer for an outcome no longer picked is dropped.
      if (picker.value !== outcome) return;
      render(review, model);
      status.textContent = `${review.contacts} identified contacts, ${review.positives} reached ${outcomeName(outcome)} · computed ${formatAgo(review.computedAt, hooks.now())}${review.refreshing ? ', a newer review is on its way' : ''}.`;
    } catch (error) {
      status.textContent = `The review failed: ${(error as Error).message}`;
    }
  };

  const render = (review: ModelReview, model: ScoringModel) => {
    const suggestion = review.suggestion;
    const labels = ruleLabels(model, suggestion?.model);
    body.replaceChildren(
      el(
        'section',
        { class: 'kpis', 'aria-label': 'How well the model predicts' },
        kpi('current-auc', "Today's model, AUC", auc(review.current.auc), 'all reviewed contacts'),
        kpi('suggested-auc', 'Suggested points, AUC', auc(suggestion?.auc), 'on held-out contacts'),
        kpi(
          'held-out-auc',
          "Today's model, held out",
          auc(suggestion?.currentAuc),
          'the same held-out contacts',
        ),
        kpi(
          'mql-precision',
          'MQL precision · recall',
          `${formatPercent(review.current.precision)} · ${formatPercent(review.current.recall)}`,
          `${review.current.mqls} MQLs at their cutoff`,
        ),
      ),
      suggestion ? suggestionCard(review, suggestion, labels) : reasonCard(review),
      liftSection(review, labels),
      distributionSection(review),
      channelsSection(review),
    );
  };

  const suggestionCard = (
    review: ModelReview,
    suggestion: NonNullable<ModelReview['suggestion']>,
    labels: Map<string, string>,
  ) => {
    const apply = el(
      'button',
      { type: 'button', class: 'btn btn-primary', 'data-action': 'apply-suggestion' },
      'Apply to the what-if view',
    );
    const publish = el(
      'button',
      { type: 'button', class: 'btn', 'data-action': 'publish-suggestion' },
      'Publish suggested model',
    );
    const result = el('p', { class: 'action-status', role: 'status' });
    apply.addEventListener('click', async () => {
      await hooks.applyToWhatIf(suggestion.model);
    });
    publish.addEventListener('click', async () => {
      publish.disabled = true;
      try {
        await api.publishModel(suggestion.model);
        result.textContent = `Published ${suggestion.model.version}: the collector is rescoring every contact.`;
        hooks.confirm(
          `Suggested model ${suggestion.model.version} published: the collector is rescoring every contact.`,
        );
      } catch (error) {
        result.textContent = `Not published: ${(error as Error).message}`;
        publish.disabled = false;
      }
    });
    return el(
      'section',
      { class: 'card', 'aria-labelledby': 'suggestion-title' },
      el(
        'div',
        { class: 'card-head' },
        el('h2', { id: 'suggestion-title' }, 'Suggested points'),
        el('div', { class: 'actions' }, apply, publish),
      ),
      el(
        'p',
        { class: 'sub' },
        `The same rules, points re-fitted on ${suggestion.trainContacts} contacts and checked on ${suggestion.testContacts} others (${suggestion.method}).`,
      ),
      suggestionTable(review, suggestion, labels),
      result,
    );
  };

  const reasonCard = (review: ModelReview) =>
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'suggestion-title' },
      el('h2', { id: 'suggestion-title' }, 'No suggested points yet'),
      el('p', { class: 'review-reason' }, review.reason ?? 'The review has no suggestion.'),
    );

  picker.addEventListener('change', () => void load());
  refreshButton.addEventListener('click', () => void load(true));
  root.replaceChildren(
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'review-title' },
      el(
        'div',
        { class: 'card-head' },
        el('h2', { id: 'review-title' }, 'Model review'),
        el(
          'div',
          { class: 'actions' },
          el('div', { class: 'field' }, el('label', { for: 'review-outcome' }, 'Outcome'), picker),
          refreshButton,
        ),
      ),
      el(
        'p',
        { class: 'sub' },
        'Each identified contact is scored as it stood when it reached the outcome (or now, for the others): what today’s model got right, which rules carry it, and points re-fitted from what happened.',
      ),
      status,
    ),
    body,
    mountOutcomeImport(api, hooks.now, (recorded) => {
      if (recorded > 0) void load(true);
    }),
  );
  return { load };
}

function kpi(key: string, label: string, value: string, note: string): HTMLElement {
  return el(
    'div',
    { class: 'kpi', 'data-kpi': key },
    el('span', { class: 'kpi-label' }, label),
    el('strong', {}, value),
    el('span', { class: 'sub' }, note),
  );
}
