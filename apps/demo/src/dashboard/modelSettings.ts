// The visual editor's top: the model's version and half-life, and the MQL line's thresholds.
import { isObject } from '@leadlight/scoring-core';
import { el } from './element.js';
import { type Json, parseNumber } from './modelDraft.js';
import { type FormEdits, field, input, onText, setOrDelete } from './modelFormControls.js';

/** The Model and MQL line fieldsets of `draft` (an `mql` object is added when it has none). */
export function modelSettings(draft: Json, edits: FormEdits): HTMLElement {
  const mql = isObject(draft.mql) ? draft.mql : {};
  if (!isObject(draft.mql)) draft.mql = mql;
  const threshold = (key: 'total' | 'fit' | 'engagement', label: string) =>
    field(
      label,
      onText(
        edits,
        input(`mql.${key}`, mql[key], { type: 'number', step: 'any', placeholder: 'not used' }),
        (v) => setOrDelete(mql, key, parseNumber(v)),
      ),
    );
  return el(
    'div',
    { class: 'mf-top' },
    el(
      'fieldset',
      { class: 'mf-section' },
      el('legend', {}, 'Model'),
      field(
        'Version name',
        onText(edits, input('version', draft.version), (v) => {
          draft.version = v;
        }),
      ),
      field(
        'Half-life (days)',
        onText(
          edits,
          input('halfLifeDays', draft.halfLifeDays, {
            type: 'number',
            step: 'any',
            min: 0,
            placeholder: 'no decay',
          }),
          (v) => setOrDelete(draft, 'halfLifeDays', parseNumber(v)),
        ),
        'Engagement points halve after this many days; empty: they never fade.',
      ),
    ),
    el(
      'fieldset',
      { class: 'mf-section', 'data-scope': 'mql' },
      el('legend', {}, 'MQL line'),
      el('p', { class: 'mf-hint' }, 'An identified lead is an MQL when it meets every threshold given.'),
      el(
        'div',
        { class: 'mf-row' },
        threshold('total', 'Total at least'),
        threshold('fit', 'Fit at least'),
        threshold('engagement', 'Engagement at least'),
      ),
      el('ul', { class: 'mf-errors' }),
    ),
  );
}
