// A fit rule in the visual editor: which trait, which test (one operator of the editor's), its points.
import { el } from './element.js';
import {
  FIT_OPERATORS,
  type FitOperator,
  fitOperator,
  type Json,
  listText,
  parseList,
  parseNumber,
  setFitOperator,
} from './modelDraft.js';
import { type FormEdits, field, input, onText, select } from './modelFormControls.js';
import { pointsField, ruleItem } from './ruleItem.js';

/** Fit rule `i` of `list`: label, id, trait, test and its values, points. */
export function fitRuleItem(list: unknown[], i: number, edits: FormEdits): HTMLElement {
  const rule = list[i] as Json;
  const path = `fit[${i}]`;
  const op = fitOperator(rule);
  const opSelect = select(
    `${path}.op`,
    FIT_OPERATORS.map((o) => ({ value: o.op, label: o.label })),
    op,
  );
  opSelect.removeAttribute('data-path');
  opSelect.addEventListener('change', () => {
    setFitOperator(rule, opSelect.value as FitOperator);
    edits.restructure();
  });
  const values: HTMLElement[] = [];
  const number = (key: 'gte' | 'lte', label: string) =>
    field(
      label,
      onText(edits, input(`${path}.${key}`, rule[key], { type: 'number', step: 'any' }), (v) => {
        rule[key] = parseNumber(v);
      }),
    );
  if (op === 'in' || op === 'equals')
    values.push(
      field(
        op === 'in' ? 'Values' : 'Value',
        onText(edits, input(`${path}.${op}`, listText(rule[op]), { spellcheck: 'false' }), (v) => {
          const parsed = parseList(v, 'trait');
          rule[op] = op === 'in' ? (Array.isArray(parsed) ? parsed : [parsed]) : parsed;
        }),
        op === 'in' ? 'commas: any of' : undefined,
      ),
    );
  if (op === 'gte' || op === 'between') values.push(number('gte', op === 'between' ? 'From' : 'At least'));
  if (op === 'lte' || op === 'between') values.push(number('lte', op === 'between' ? 'To' : 'At most'));
  return ruleItem('fit', list, i, edits, {
    body: [
      el(
        'div',
        { class: 'mf-row' },
        field(
          'Trait',
          onText(
            edits,
            input(`${path}.trait`, rule.trait, { list: 'mf-traits', spellcheck: 'false' }),
            (v) => {
              rule.trait = v;
            },
          ),
        ),
        field('Test', opSelect),
        ...values,
        pointsField(rule, path, edits),
      ),
    ],
  });
}
