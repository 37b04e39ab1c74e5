// An engagement rule in the visual editor: which events, their points and cap, and the conditions of its
// `match` as rows.
import { type Child, el } from './element.js';
import {
  type Condition,
  conditionPath,
  conditionsOf,
  type Json,
  MATCH_KEYS,
  matchOf,
  parseNumber,
  splitList,
} from './modelDraft.js';
import { button, type FormEdits, field, input, onText, select, setOrDelete } from './modelFormControls.js';
import { pointsField, ruleItem } from './ruleItem.js';

function conditionRow(
  rule: Json,
  rulePath: string,
  conditions: Condition[],
  i: number,
  edits: FormEdits,
): HTMLElement {
  const c = conditions[i] as Condition;
  const key = `${rulePath}.cond${i}`;
  const sync = () => {
    const match = matchOf(conditions);
    setOrDelete(rule, 'match', match);
  };
  const isGlob = MATCH_KEYS.find((k) => k.key === c.key)?.glob ?? false;
  const keySelect = select(
    `${key}.key`,
    [
      ...MATCH_KEYS.map((k) => ({ value: k.key, label: k.label })),
      ...(MATCH_KEYS.some((k) => k.key === c.key) ? [] : [{ value: c.key, label: c.key }]),
    ],
    c.key,
  );
  // A key another row uses cannot be chosen again (a match holds each key once; properties differ by name).
  for (const option of keySelect.options) {
    option.disabled =
      option.value !== c.key &&
      option.value !== 'props' &&
      conditions.some((other) => other.key === option.value);
  }
  keySelect.removeAttribute('data-path');
  keySelect.addEventListener('change', () => {
    c.key = keySelect.value;
    if (c.key === 'props' && !c.prop) c.prop = 'name';
    if (MATCH_KEYS.find((k) => k.key === c.key)?.glob || c.key === 'title') c.range = false;
    sync();
    edits.restructure();
  });
  const valuePath = conditionPath(rulePath, c);
  const parts: Child[] = [field('Where', keySelect)];
  const valueControls: HTMLElement[] = [];
  if (c.key === 'props') {
    const prop = onText(
      edits,
      input(`${key}.prop`, c.prop, { 'data-path': valuePath, spellcheck: 'false' }),
      (v) => {
        c.prop = v.trim();
        const path = conditionPath(rulePath, c);
        for (const control of valueControls) {
          const bound = control.dataset.bound;
          control.dataset.path = bound ? `${path}.${bound}` : path;
        }
        prop.dataset.path = path;
        sync();
      },
    );
    parts.push(field('Property', prop));
  }
  if (!isGlob && c.key !== 'title') {
    const mode = select(
      `${key}.mode`,
      [
        { value: 'values', label: 'is one of' },
        { value: 'range', label: 'is a number between' },
      ],
      c.range ? 'range' : 'values',
    );
    mode.removeAttribute('data-path');
    mode.addEventListener('change', () => {
      c.range = mode.value === 'range';
      sync();
      edits.restructure();
    });
    parts.push(field('Test', mode));
  }
  if (c.range) {
    for (const bound of ['gte', 'lte'] as const) {
      const control = onText(
        edits,
        input(`${valuePath}.${bound}`, c[bound], {
          type: 'number',
          step: 'any',
          'data-focus': `${key}.${bound}`,
          'data-bound': bound,
          placeholder: 'open',
        }),
        (v) => {
          c[bound] = v;
          sync();
        },
      );
      valueControls.push(control);
      parts.push(field(bound === 'gte' ? 'From' : 'To', control));
    }
  } else {
    const control = onText(
      edits,
      input(valuePath, c.values, { 'data-focus': `${key}.values`, spellcheck: 'false' }),
      (v) => {
        c.values = v;
        sync();
      },
    );
    valueControls.push(control);
    parts.push(
      field(
        isGlob ? 'Pattern(s)' : 'Value(s)',
        control,
        isGlob ? '* matches any text; commas: any of' : 'commas: any of',
      ),
    );
  }
  const remove = button('Remove', `${key}.remove`, { 'aria-label': `Remove condition ${i + 1}` });
  remove.addEventListener('click', () => {
    conditions.splice(i, 1);
    sync();
    edits.restructure(`${rulePath}.add-condition`);
  });
  return el('li', { class: 'mf-condition' }, ...parts, remove);
}

/** Engagement rule `i` of `list`: label, id, event types, points, cap and its match conditions. */
export function engagementRuleItem(list: unknown[], i: number, edits: FormEdits): HTMLElement {
  const rule = list[i] as Json;
  const path = `rules[${i}]`;
  const conditions = conditionsOf(rule.match);
  const addCondition = button('Add condition', `${path}.add-condition`);
  addCondition.addEventListener('click', () => {
    // A match holds each key once: the new row takes the first key not in use (else another property).
    const used = new Set(conditions.map((c) => c.key));
    const key = MATCH_KEYS.find((k) => k.key !== 'props' && !used.has(k.key))?.key ?? 'props';
    const props = new Set(conditions.filter((c) => c.key === 'props').map((c) => c.prop));
    let prop = 'name';
    for (let n = 2; props.has(prop); n += 1) prop = `name${n}`;
    conditions.push({
      key,
      prop: key === 'props' ? prop : '',
      range: false,
      values: key === 'path' ? '/*' : '',
      gte: '',
      lte: '',
    });
    rule.match = matchOf(conditions);
    edits.restructure(`${path}.cond${conditions.length - 1}.values`);
  });
  const eventText = Array.isArray(rule.event) ? rule.event.join(', ') : String(rule.event ?? '');
  return ruleItem('rules', list, i, edits, {
    idHint: 'webhooks and exports use it',
    body: [
      el(
        'div',
        { class: 'mf-row' },
        field(
          'When the visitor',
          onText(
            edits,
            input(`${path}.event`, eventText, { list: 'mf-events', spellcheck: 'false' }),
            (v) => {
              const types = splitList(v);
              rule.event = types.length === 1 ? types[0] : types;
            },
          ),
          'event type; commas: any of',
        ),
        pointsField(rule, path, edits),
        field(
          'Cap',
          onText(
            edits,
            input(`${path}.max`, rule.max, { type: 'number', min: 1, step: 1, placeholder: 'no cap' }),
            (v) => setOrDelete(rule, 'max', parseNumber(v)),
          ),
          'times per contact',
        ),
      ),
      el('p', { class: 'mf-subhead' }, conditions.length ? 'Only when' : 'Every such event counts'),
      el(
        'ul',
        { class: 'mf-conditions' },
        ...conditions.map((_, j) => conditionRow(rule, path, conditions, j, edits)),
      ),
    ],
    buttons: [addCondition],
  });
}
