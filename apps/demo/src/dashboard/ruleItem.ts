// The frame every rule of the visual editor shares, engagement or fit: a legend that follows the label,
// the label and id fields, the rule's own fields, its errors and its buttons; and the list they stand in.
import { isObject } from '@leadlight/scoring-core';
import { type Child, el } from './element.js';
import { type Json, parseNumber } from './modelDraft.js';
import { button, type FormEdits, field, input, onText, setOrDelete } from './modelFormControls.js';

/** The model's two lists of rules. */
export type RuleScope = 'rules' | 'fit';

/** Each list's noun, heading id and add button (focus comes back to it when a rule is removed). */
const LISTS: Record<RuleScope, { noun: string; titleId: string; addKey: string }> = {
  rules: { noun: 'Rule', titleId: 'mf-rules-title', addKey: 'add-rule' },
  fit: { noun: 'Fit rule', titleId: 'mf-fit-title', addKey: 'add-fit' },
};

/** What a rule row holds besides its frame. */
export interface RuleItemParts {
  /** The id field's hint, if any. */
  idHint?: string;
  /** The rule's own fields, under its label and id. */
  body: Child[];
  /** Buttons before "Remove". */
  buttons?: HTMLElement[];
}

/** Rule `index` of the `scope` list: its frame around `parts`, removable. */
export function ruleItem(
  scope: RuleScope,
  list: unknown[],
  index: number,
  edits: FormEdits,
  parts: RuleItemParts,
): HTMLElement {
  const rule = list[index] as Json;
  const path = `${scope}[${index}]`;
  const { noun, addKey } = LISTS[scope];
  const legend = el('legend', {}, `${noun} ${index + 1} · ${String(rule.label ?? rule.id ?? '')}`);
  const retitle = () => {
    legend.textContent = `${noun} ${index + 1} · ${String(rule.label || rule.id || '')}`;
  };
  const remove = button(`Remove ${noun.toLowerCase()}`, `${path}.remove`, {
    class: 'btn btn-small btn-danger',
  });
  remove.addEventListener('click', () => {
    list.splice(index, 1);
    edits.restructure(addKey);
  });
  return el(
    'li',
    { class: 'mf-rule', 'data-scope': path },
    el(
      'fieldset',
      {},
      legend,
      el(
        'div',
        { class: 'mf-row' },
        field(
          'Label',
          onText(edits, input(`${path}.label`, rule.label, { placeholder: 'shown to people' }), (v) => {
            setOrDelete(rule, 'label', v);
            retitle();
          }),
        ),
        field(
          'Id',
          onText(edits, input(`${path}.id`, rule.id, { spellcheck: 'false' }), (v) => {
            rule.id = v;
            retitle();
          }),
          parts.idHint,
        ),
      ),
      ...parts.body,
      el('ul', { class: 'mf-errors' }),
      el('div', { class: 'actions' }, ...(parts.buttons ?? []), remove),
    ),
  );
}

/** A rule's points field. */
export function pointsField(rule: Json, path: string, edits: FormEdits): HTMLElement {
  return field(
    'Points',
    onText(edits, input(`${path}.points`, rule.points, { type: 'number', step: 'any' }), (v) => {
      rule.points = parseNumber(v);
    }),
  );
}

/** One list of rules (`rules` or `fit`) as a section: its heading, its rows, its errors, an add button. */
export function ruleList(
  scope: RuleScope,
  list: unknown[],
  edits: FormEdits,
  options: {
    heading: string;
    /** Rule `index`'s row (the list holds an object there). */
    item: (index: number) => HTMLElement;
    /** The rule "Add" appends. */
    create: () => Json;
  },
): HTMLElement {
  const { noun, titleId, addKey } = LISTS[scope];
  const add = button(`Add ${noun.toLowerCase()}`, addKey, { class: 'btn btn-small btn-add' });
  add.addEventListener('click', () => {
    list.push(options.create());
    edits.restructure(`${scope}[${list.length - 1}].label`);
  });
  return el(
    'section',
    { class: 'mf-list', 'aria-labelledby': titleId, 'data-scope': scope },
    el('h3', { id: titleId }, `${options.heading} (${list.length})`),
    el(
      'ol',
      { class: 'mf-rules' },
      ...list.map((rule, i) =>
        isObject(rule)
          ? options.item(i)
          : el(
              'li',
              { class: 'mf-rule', 'data-scope': `${scope}[${i}]` },
              `Not a ${noun.toLowerCase()} object: edit it in the JSON.`,
              el('ul', { class: 'mf-errors' }),
            ),
      ),
    ),
    el('ul', { class: 'mf-errors' }),
    add,
  );
}
