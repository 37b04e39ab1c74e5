import { type ModelError, type ScoringModel, validateModel } from '@leadlight/scoring-core';
import { displayName, formatScore } from '../format.js';
import type { DashboardApi } from './api.js';
import { el } from './element.js';
import { stageBadge } from './leadsView.js';
import { compareModels, type WhatIfInput } from './whatIf.js';

/** Parses and validates draft model text: the model, or errors each with its path. */
export function checkDraft(
  text: string,
): { ok: true; model: ScoringModel } | { ok: false; errors: ModelError[] } {
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
  return validateModel(json);
}

/** The model editor: a JSON draft checked on every keystroke, a what-if over existing contacts, then publish. */
export function mountModelEditor(
  root: HTMLElement,
  api: DashboardApi,
  siteKey: string,
  now: () => number,
): { reload(): Promise<void> } {
  const textarea = el('textarea', {
    class: 'model-text',
    spellcheck: 'false',
    'aria-label': 'Scoring model JSON',
    rows: 28,
  });
  const errors = el('ul', { class: 'model-errors', 'aria-live': 'polite' });
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
  const whatIf = el('div', { class: 'what-if' });
  let published: ScoringModel | undefined;

  const check = () => {
    const result = checkDraft(textarea.value);
    errors.replaceChildren(
      ...(result.ok
        ? []
        : result.errors.map((e) =>
            el('li', { 'data-path': e.path }, el('code', {}, e.path), ` ${e.message}`),
          )),
    );
    textarea.classList.toggle('is-invalid', !result.ok);
    whatIfButton.disabled = !result.ok;
    publishButton.disabled = !result.ok;
    status.textContent = result.ok
      ? `Valid · ${result.model.rules.length} rules, ${result.model.fit.length} fit rules`
      : `${result.errors.length} error(s)`;
    return result;
  };
  textarea.addEventListener('input', check);

  whatIfButton.addEventListener('click', async () => {
    const draft = check();
    if (!draft.ok || !published) return;
    whatIf.replaceChildren(el('p', { class: 'sub' }, 'Rescoring every contact from its stored events…'));
    try {
      const contacts = await api.allLeads(300);
      const inputs: WhatIfInput[] = await Promise.all(
        contacts.map(async (c) => ({
          id: c.id,
          name: displayName(c.traits, c.id),
          stage: c.stage,
          events: await api.events(c.id),
        })),
      );
      const rows = compareModels(inputs, published, draft.model, now());
      const crossing = rows.filter((r) => r.change === 'crosses').length;
      const dropping = rows.filter((r) => r.change === 'drops').length;
      whatIf.replaceChildren(
        el(
          'p',
          { class: 'what-if-summary' },
          `${crossing} contact(s) would cross the MQL line, ${dropping} would fall below it (of ${rows.length}).`,
        ),
        el(
          'table',
          { class: 'leads what-if-table' },
          el(
            'thead',
            {},
            el('tr', {}, ...['Contact', 'Stage', 'Now', 'Draft', 'MQL line'].map((h) => el('th', {}, h))),
          ),
          el(
            'tbody',
            {},
            ...rows.map((r) =>
              el(
                'tr',
                { 'data-change': r.change, 'data-contact': r.id },
                el('td', {}, r.name),
                el('td', {}, stageBadge(r.stage)),
                el('td', { class: 'num' }, formatScore(r.currentTotal)),
                el(
                  'td',
                  {
                    class: `num ${r.draftTotal > r.currentTotal ? 'pos' : r.draftTotal < r.currentTotal ? 'neg' : ''}`,
                  },
                  formatScore(r.draftTotal),
                ),
                el(
                  'td',
                  {},
                  r.change === 'crosses'
                    ? el('span', { class: 'chip chip-up' }, 'would become MQL')
                    : r.change === 'drops'
                      ? el('span', { class: 'chip chip-neg' }, 'would fall below')
                      : el('span', { class: 'sub' }, r.draftMql ? 'meets' : 'below'),
                ),
              ),
            ),
          ),
        ),
      );
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
    } catch (error) {
      status.textContent = `Not published: ${(error as Error).message}`;
    }
  });

  const reload = async () => {
    published = await api.model(siteKey);
    textarea.value = JSON.stringify(published, null, 2);
    check();
  };
  resetButton.addEventListener('click', () => void reload());

  root.replaceChildren(
    el(
      'div',
      { class: 'model-grid' },
      el(
        'div',
        { class: 'card' },
        el('h2', {}, 'Scoring model'),
        el(
          'p',
          { class: 'sub' },
          'Edit the JSON; it is validated with the same scoring core the collector runs.',
        ),
        textarea,
        errors,
        status,
        el('div', { class: 'actions' }, whatIfButton, publishButton, resetButton),
      ),
      el(
        'div',
        { class: 'card' },
        el('h2', {}, 'What if'),
        el('p', { class: 'sub' }, 'Who would cross the MQL line with this draft, before you publish.'),
        whatIf,
      ),
    ),
  );
  return { reload };
}
