import { type ModelError, type ScoringModel, validateModel } from '@leadlight/scoring-core';
import { displayName, formatPoints, formatScore } from '../format.js';
import type { DashboardApi } from './api.js';
import { columnChart } from './charts.js';
import { el } from './element.js';
import { createModelForm } from './modelForm.js';
import { ruleLabels } from './ruleLabels.js';
import { stageBadge } from './stageBadge.js';
import { compareModels, deltaBins, type Miss, type WhatIfInput, type WhatIfRow } from './whatIf.js';

/** Parses and validates draft model text: the model, or errors each with its path. */
export function checkDraft(
  text: string,
): { ok: true; model: ScoringModel } | { ok: false; errors: ModelError[]; json?: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    let path = '(json)';
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split('\n').length;
      path = `(json) line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
    }
    return { ok: false, errors: [{ path, message }] };
  }
  const result = validateModel(json);
  return result.ok ? result : { ...result, json };
}

/** Why a contact stays below the MQL line, in words ("fit 0 of 10", "not identified yet"). */
export function describeMisses(misses: Miss[]): string {
  return misses
    .map((m) =>
      m.threshold === 'identified'
        ? 'not identified yet'
        : `${m.threshold} ${formatScore(m.have ?? 0)} of ${formatScore(m.need ?? 0)}`,
    )
    .join(', ');
}

/**
 * The model editor: a visual editor and the JSON view of one draft, checked on every edit with the same
 * scoring core the collector runs; a what-if over the stored contacts that follows the draft as it
 * changes; then publish.
 */
export function mountModelEditor(
  root: HTMLElement,
  api: DashboardApi,
  siteKey: string,
  now: () => number,
  confirm: (text: string) => void = () => undefined,
): { reload(): Promise<void>; loadDraft(model: ScoringModel): Promise<void> } {
  const textarea = el('textarea', {
    id: 'model-json',
    class: 'model-text',
    spellcheck: 'false',
    rows: 30,
    'aria-describedby': 'model-errors',
  });
  const errors = el('ul', { class: 'model-errors', id: 'model-errors' });
  const status = el('p', { class: 'model-status', role: 'status' });
  const whatIfButton = el(
    'button',
    { type: 'button', class: 'btn', 'data-action': 'what-if' },
    'Run what-if',
  );
  const publishButton = el(
    'button',
    { type: 'button', class: 'btn btn-primary', 'data-action': 'publish' },
    'Publish model',
  );
  const resetButton = el(
    'button',
    { type: 'button', class: 'btn btn-ghost', 'data-action': 'reset' },
    'Discard draft',
  );
  const whatIf = el('div', { class: 'what-if', 'aria-live': 'polite' });
  let published: ScoringModel | undefined;
  /** Every contact's stored events, fetched once per "Run what-if" and rescored on each valid edit. */
  let inputs: WhatIfInput[] | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const form = createModelForm((draft) => {
    textarea.value = JSON.stringify(draft, null, 2);
    check();
  });

  const check = () => {
    const result = checkDraft(textarea.value);
    errors.replaceChildren(
      ...(result.ok
        ? []
        : result.errors.map((e) =>
            el('li', { 'data-path': e.path }, el('code', {}, e.path || 'model'), ` ${e.message}`),
          )),
    );
    form.showErrors(result.ok ? [] : result.errors);
    textarea.classList.toggle('is-invalid', !result.ok);
    textarea.setAttribute('aria-invalid', String(!result.ok));
    whatIfButton.disabled = !result.ok;
    publishButton.disabled = !result.ok;
    status.textContent = result.ok
      ? `Valid · ${result.model.rules.length} rules, ${result.model.fit.length} fit rules`
      : `${result.errors.length} error(s)`;
    if (result.ok && inputs) {
      clearTimeout(timer);
      timer = setTimeout(() => showWhatIf(result.model), 200);
    }
    return result;
  };
  textarea.addEventListener('input', () => {
    const result = check();
    // The form follows the JSON whenever it parses (a half-typed edit leaves the form as it was).
    if (result.ok || result.json !== undefined) form.render(JSON.parse(textarea.value));
    form.showErrors(result.ok ? [] : result.errors);
  });

  function showWhatIf(draft: ScoringModel) {
    if (!inputs || !published) return;
    const rows = compareModels(inputs, published, draft, now());
    const labels = ruleLabels(published, draft);
    const crossing = rows.filter((r) => r.change === 'crosses').length;
    const dropping = rows.filter((r) => r.change === 'drops').length;
    const moved = rows.filter((r) => r.delta !== 0).length;
    const bins = deltaBins(rows);
    const changeCell = (r: WhatIfRow) =>
      r.change === 'crosses'
        ? el('span', { class: 'chip chip-up' }, '↑ would become MQL')
        : r.change === 'drops'
          ? el('span', { class: 'chip chip-neg' }, '↓ would fall below')
          : r.draftMql
            ? el('span', { class: 'sub' }, 'meets the line')
            : el('span', { class: 'sub' }, `below: ${describeMisses(r.misses)}`);
    whatIf.replaceChildren(
      el(
        'p',
        { class: 'what-if-summary' },
        `${crossing} contact(s) would cross the MQL line, ${dropping} would fall below it (of ${rows.length}).`,
      ),
      el('p', { class: 'sub' }, `${moved} score(s) change with this draft.`),
      el(
        'figure',
        { class: 'what-if-chart' },
        columnChart(
          bins.map((b) => ({ tick: b.label, name: b.label, value: b.count })),
          {
            label: `Score changes: ${bins.map((b) => `${b.label} ${b.count}`).join(', ')}`,
            accent: 4,
          },
        ),
        el('figcaption', { class: 'sub' }, 'How many contacts each score change affects (draft − now).'),
      ),
      el(
        'table',
        { class: 'leads what-if-table' },
        el('caption', { class: 'sr-only' }, 'Each contact now and under the draft'),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['Contact', 'Stage', 'Now', 'Draft', 'Change', 'MQL line', 'Rules that move it'].map((h) =>
              el('th', { scope: 'col' }, h),
            ),
          ),
        ),
        el(
          'tbody',
          {},
          ...rows.map((r) =>
            el(
              'tr',
              { 'data-change': r.change, 'data-contact': r.id, 'data-delta': r.delta },
              el('th', { scope: 'row' }, r.name),
              el('td', {}, stageBadge(r.stage)),
              el('td', { class: 'num' }, formatScore(r.currentTotal)),
              el('td', { class: 'num' }, formatScore(r.draftTotal)),
              el(
                'td',
                { class: `num delta ${r.delta > 0 ? 'pos' : r.delta < 0 ? 'neg' : ''}` },
                r.delta === 0 ? '0' : formatPoints(r.delta),
              ),
              el('td', { class: 'mql-line' }, changeCell(r)),
              el(
                'td',
                { class: 'rule-changes' },
                ...r.rules
                  .slice(0, 3)
                  .map((c) =>
                    el(
                      'span',
                      { class: `chip ${c.after < c.before ? 'chip-neg' : ''}`, 'data-rule': c.rule },
                      `${labels.get(c.rule) ?? c.rule} ${formatPoints(c.before)} → ${formatPoints(c.after)}`,
                    ),
                  ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  whatIfButton.addEventListener('click', async () => {
    const draft = check();
    if (!draft.ok || !published) return;
    whatIf.replaceChildren(el('p', { class: 'sub' }, 'Rescoring every contact from its stored events…'));
    try {
      const contacts = await api.allLeads(300);
      inputs = await Promise.all(
        contacts.map(async (c) => ({
          id: c.id,
          name: displayName(c.traits, c.id),
          stage: c.stage,
          events: await api.events(c.id),
        })),
      );
      showWhatIf(draft.model);
      whatIfButton.textContent = 'Reload contacts';
      confirm(`What-if ready: ${inputs.length} contacts rescored. It follows the draft as you edit.`);
    } catch (error) {
      whatIf.replaceChildren(el('p', { class: 'error' }, (error as Error).message));
    }
  });

  publishButton.addEventListener('click', async () => {
    const draft = check();
    if (!draft.ok) return;
    status.textContent = 'Publishing…';
    try {
      await api.publishModel(draft.model);
      published = draft.model;
      status.textContent = `Published ${draft.model.version}. Scores update as the collector rescores.`;
      confirm(`Model ${draft.model.version} published: the collector is rescoring every contact.`);
      if (inputs) showWhatIf(draft.model);
    } catch (error) {
      status.textContent = `Not published: ${(error as Error).message}`;
    }
  });

  const reload = async () => {
    published = await api.model(siteKey);
    textarea.value = JSON.stringify(published, null, 2);
    form.render(JSON.parse(textarea.value));
    check();
  };
  /** Puts a model (the review's suggestion) in the draft; the what-if runs, or follows it when it already does. */
  const loadDraft = async (model: ScoringModel) => {
    published ??= await api.model(siteKey);
    textarea.value = JSON.stringify(model, null, 2);
    form.render(JSON.parse(textarea.value));
    if (check().ok && !inputs) whatIfButton.click();
  };
  resetButton.addEventListener('click', async () => {
    await reload();
    confirm('Draft discarded: the editor shows the published model again.');
  });

  root.replaceChildren(
    el(
      'section',
      { class: 'card model-card', 'aria-labelledby': 'model-title' },
      el(
        'div',
        { class: 'card-head' },
        el('h2', { id: 'model-title' }, 'Scoring model'),
        el('div', { class: 'actions' }, whatIfButton, publishButton, resetButton),
      ),
      el(
        'p',
        { class: 'sub' },
        'Edit the rules in the form or in the JSON: both edit one draft, checked on every change with the same scoring core the collector runs.',
      ),
      status,
      el(
        'div',
        { class: 'model-grid' },
        el('div', { class: 'model-visual' }, form.root),
        el(
          'div',
          { class: 'model-json' },
          el('label', { for: 'model-json', class: 'model-json-label' }, 'JSON'),
          textarea,
          errors,
        ),
      ),
    ),
    el(
      'section',
      { class: 'card what-if-card', 'aria-labelledby': 'what-if-title' },
      el('h2', { id: 'what-if-title' }, 'What if'),
      el(
        'p',
        { class: 'sub' },
        'Every contact scored now and under the draft, from its stored events: who would cross the MQL line either way, by how much each score moves, and what keeps a contact below the line.',
      ),
      whatIf,
    ),
  );
  return { reload, loadDraft };
}
