import { isObject, type ModelError } from '@leadlight/scoring-core';
import { type Child, el } from './element.js';
import {
  type Condition,
  conditionPath,
  conditionsOf,
  errorAnchor,
  FIT_OPERATORS,
  type FitOperator,
  fitOperator,
  type Json,
  listText,
  MATCH_KEYS,
  matchOf,
  parseList,
  parseNumber,
  setFitOperator,
} from './modelDraft.js';

/** Event types the rule editor suggests (any other valid name may be typed). */
const EVENT_TYPES = [
  'page_view',
  'download',
  'cta_click',
  'form_start',
  'form_submit',
  'form_invalid',
  'form_abandon',
  'exit_intent',
  'identify',
  'engagement',
  'session_start',
  'popup_shown',
];
/** Traits the fit editor suggests. */
const TRAITS = ['companySize', 'role', 'industry', 'country', 'company', 'email', 'name'];

/** The visual model editor: edits a draft model in place; the JSON view and the what-if follow its edits. */
export interface ModelForm {
  readonly root: HTMLElement;
  /** Shows a draft (any JSON: a draft that is not a model shape says so and offers nothing to edit). */
  render(draft: unknown): void;
  /** Puts each error next to its field (or its rule); clears the previous ones. */
  showErrors(errors: ModelError[]): void;
}

let ids = 0;
const nextId = () => `mf-${++ids}`;

/** A labelled control: the label names it, `data-path` ties it to validation errors and focus. */
function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = nextId();
  control.id = id;
  const hintEl = hint ? el('span', { class: 'mf-hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return el('div', { class: 'mf-field' }, el('label', { for: id }, label), control, hintEl);
}

function input(path: string, value: unknown, attrs: Record<string, string | number | boolean> = {}) {
  return el('input', {
    type: 'text',
    'data-path': path,
    'data-focus': path,
    value: value === undefined || value === null ? '' : String(value),
    autocomplete: 'off',
    ...attrs,
  });
}

function select(path: string, options: { value: string; label: string }[], current: string) {
  return el(
    'select',
    { 'data-path': path, 'data-focus': path },
    ...options.map((o) => el('option', { value: o.value, selected: o.value === current }, o.label)),
  );
}

function button(text: string, focus: string, extra: Record<string, string> = {}) {
  return el('button', { type: 'button', class: 'btn btn-small', 'data-focus': focus, ...extra }, text);
}

/** An id no other rule or fit rule uses. */
function freshId(draft: Json, base: string): string {
  const taken = new Set(
    [...(Array.isArray(draft.rules) ? draft.rules : []), ...(Array.isArray(draft.fit) ? draft.fit : [])]
      .filter(isObject)
      .map((r) => r.id),
  );
  let n = 1;
  while (taken.has(n === 1 ? base : `${base}-${n}`)) n += 1;
  return n === 1 ? base : `${base}-${n}`;
}

/** Creates the visual editor; `onEdit` runs after every change with the draft it changed in place. */
export function createModelForm(onEdit: (draft: Json) => void): ModelForm {
  const root = el('form', { class: 'model-form', 'aria-label': 'Visual model editor', novalidate: true });
  root.addEventListener('submit', (event) => event.preventDefault());
  let draft: Json = {};

  const changed = () => onEdit(draft);
  /** Re-renders after a change of shape (added, removed, another operator) and puts focus back. */
  const restructure = (focus?: string) => {
    const active = document.activeElement as HTMLElement | null;
    const key = focus ?? (root.contains(active) ? active?.dataset.focus : undefined);
    render(draft);
    changed();
    if (key) root.querySelector<HTMLElement>(`[data-focus="${CSS.escape(key)}"]`)?.focus();
  };
  const onText = (control: HTMLInputElement, write: (value: string) => void) => {
    control.addEventListener('input', () => {
      write(control.value);
      changed();
    });
    return control;
  };
  const setOrDelete = (object: Json, key: string, value: unknown) => {
    if (value === undefined || value === '') delete object[key];
    else object[key] = value;
  };

  function modelSection(): HTMLElement {
    const mql = isObject(draft.mql) ? draft.mql : {};
    if (!isObject(draft.mql)) draft.mql = mql;
    const threshold = (key: 'total' | 'fit' | 'engagement', label: string) =>
      field(
        label,
        onText(input(`mql.${key}`, mql[key], { type: 'number', step: 'any', placeholder: 'not used' }), (v) =>
          setOrDelete(mql, key, parseNumber(v)),
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
          onText(input('version', draft.version), (v) => {
            draft.version = v;
          }),
        ),
        field(
          'Half-life (days)',
          onText(
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

  function conditionRow(rule: Json, rulePath: string, conditions: Condition[], i: number): HTMLElement {
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
      restructure();
    });
    const valuePath = conditionPath(rulePath, c);
    const parts: Child[] = [field('Where', keySelect)];
    const valueControls: HTMLElement[] = [];
    if (c.key === 'props') {
      const prop = onText(
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
        restructure();
      });
      parts.push(field('Test', mode));
    }
    if (c.range) {
      for (const bound of ['gte', 'lte'] as const) {
        const control = onText(
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
      restructure(`${rulePath}.add-condition`);
    });
    return el('li', { class: 'mf-condition' }, ...parts, remove);
  }

  function ruleItem(rule: Json, i: number, list: unknown[]): HTMLElement {
    const path = `rules[${i}]`;
    const legend = el('legend', {}, `Rule ${i + 1} · ${String(rule.label ?? rule.id ?? '')}`);
    const retitle = () => {
      legend.textContent = `Rule ${i + 1} · ${String(rule.label || rule.id || '')}`;
    };
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
      restructure(`${path}.cond${conditions.length - 1}.values`);
    });
    const remove = button('Remove rule', `${path}.remove`, { class: 'btn btn-small btn-danger' });
    remove.addEventListener('click', () => {
      list.splice(i, 1);
      restructure('add-rule');
    });
    const eventText = Array.isArray(rule.event) ? rule.event.join(', ') : String(rule.event ?? '');
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
            onText(input(`${path}.label`, rule.label, { placeholder: 'shown to people' }), (v) => {
              setOrDelete(rule, 'label', v);
              retitle();
            }),
          ),
          field(
            'Id',
            onText(input(`${path}.id`, rule.id, { spellcheck: 'false' }), (v) => {
              rule.id = v;
              retitle();
            }),
            'webhooks and exports use it',
          ),
        ),
        el(
          'div',
          { class: 'mf-row' },
          field(
            'When the visitor',
            onText(input(`${path}.event`, eventText, { list: 'mf-events', spellcheck: 'false' }), (v) => {
              const types = v
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean);
              rule.event = types.length === 1 ? types[0] : types;
            }),
            'event type; commas: any of',
          ),
          field(
            'Points',
            onText(input(`${path}.points`, rule.points, { type: 'number', step: 'any' }), (v) => {
              rule.points = parseNumber(v);
            }),
          ),
          field(
            'Cap',
            onText(
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
          ...conditions.map((_, j) => conditionRow(rule, path, conditions, j)),
        ),
        el('ul', { class: 'mf-errors' }),
        el('div', { class: 'actions' }, addCondition, remove),
      ),
    );
  }

  function fitItem(rule: Json, i: number, list: unknown[]): HTMLElement {
    const path = `fit[${i}]`;
    const legend = el('legend', {}, `Fit rule ${i + 1} · ${String(rule.label ?? rule.id ?? '')}`);
    const retitle = () => {
      legend.textContent = `Fit rule ${i + 1} · ${String(rule.label || rule.id || '')}`;
    };
    const op = fitOperator(rule);
    const opSelect = select(
      `${path}.op`,
      FIT_OPERATORS.map((o) => ({ value: o.op, label: o.label })),
      op,
    );
    opSelect.removeAttribute('data-path');
    opSelect.addEventListener('change', () => {
      setFitOperator(rule, opSelect.value as FitOperator);
      restructure();
    });
    const values: HTMLElement[] = [];
    const number = (key: 'gte' | 'lte', label: string) =>
      field(
        label,
        onText(input(`${path}.${key}`, rule[key], { type: 'number', step: 'any' }), (v) => {
          rule[key] = parseNumber(v);
        }),
      );
    if (op === 'in' || op === 'equals')
      values.push(
        field(
          op === 'in' ? 'Values' : 'Value',
          onText(input(`${path}.${op}`, listText(rule[op]), { spellcheck: 'false' }), (v) => {
            const parsed = parseList(v, 'trait');
            rule[op] = op === 'in' ? (Array.isArray(parsed) ? parsed : [parsed]) : parsed;
          }),
          op === 'in' ? 'commas: any of' : undefined,
        ),
      );
    if (op === 'gte' || op === 'between') values.push(number('gte', op === 'between' ? 'From' : 'At least'));
    if (op === 'lte' || op === 'between') values.push(number('lte', op === 'between' ? 'To' : 'At most'));
    const remove = button('Remove fit rule', `${path}.remove`, { class: 'btn btn-small btn-danger' });
    remove.addEventListener('click', () => {
      list.splice(i, 1);
      restructure('add-fit');
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
            onText(input(`${path}.label`, rule.label, { placeholder: 'shown to people' }), (v) => {
              setOrDelete(rule, 'label', v);
              retitle();
            }),
          ),
          field(
            'Id',
            onText(input(`${path}.id`, rule.id, { spellcheck: 'false' }), (v) => {
              rule.id = v;
              retitle();
            }),
          ),
        ),
        el(
          'div',
          { class: 'mf-row' },
          field(
            'Trait',
            onText(input(`${path}.trait`, rule.trait, { list: 'mf-traits', spellcheck: 'false' }), (v) => {
              rule.trait = v;
            }),
          ),
          field('Test', opSelect),
          ...values,
          field(
            'Points',
            onText(input(`${path}.points`, rule.points, { type: 'number', step: 'any' }), (v) => {
              rule.points = parseNumber(v);
            }),
          ),
        ),
        el('ul', { class: 'mf-errors' }),
        el('div', { class: 'actions' }, remove),
      ),
    );
  }

  function render(next: unknown): void {
    if (
      !isObject(next) ||
      !Array.isArray(next.rules) ||
      (next.fit !== undefined && !Array.isArray(next.fit))
    ) {
      root.replaceChildren(
        el(
          'p',
          { class: 'mf-unavailable', role: 'note' },
          'The visual editor needs a model object with a list of rules: fix the JSON on the right and it comes back.',
        ),
      );
      return;
    }
    draft = next;
    const rules = draft.rules as unknown[];
    if (draft.fit === undefined) draft.fit = [];
    const fit = draft.fit as unknown[];
    const addRule = button('Add rule', 'add-rule', { class: 'btn btn-small btn-add' });
    addRule.addEventListener('click', () => {
      rules.push({
        id: freshId(draft, 'new-rule'),
        label: 'New rule',
        event: 'page_view',
        match: { path: '/*' },
        points: 5,
      });
      restructure(`rules[${rules.length - 1}].label`);
    });
    const addFit = button('Add fit rule', 'add-fit', { class: 'btn btn-small btn-add' });
    addFit.addEventListener('click', () => {
      fit.push({
        id: freshId(draft, 'new-fit'),
        label: 'New fit rule',
        trait: 'role',
        in: ['vp'],
        points: 5,
      });
      restructure(`fit[${fit.length - 1}].label`);
    });
    root.replaceChildren(
      el('datalist', { id: 'mf-events' }, ...EVENT_TYPES.map((t) => el('option', { value: t }))),
      el('datalist', { id: 'mf-traits' }, ...TRAITS.map((t) => el('option', { value: t }))),
      modelSection(),
      el(
        'section',
        { class: 'mf-list', 'aria-labelledby': 'mf-rules-title', 'data-scope': 'rules' },
        el('h3', { id: 'mf-rules-title' }, `Engagement rules (${rules.length})`),
        el(
          'ol',
          { class: 'mf-rules' },
          ...rules.map((rule, i) =>
            isObject(rule)
              ? ruleItem(rule, i, rules)
              : el(
                  'li',
                  { class: 'mf-rule', 'data-scope': `rules[${i}]` },
                  'Not a rule object: edit it in the JSON.',
                  el('ul', { class: 'mf-errors' }),
                ),
          ),
        ),
        el('ul', { class: 'mf-errors' }),
        addRule,
      ),
      el(
        'section',
        { class: 'mf-list', 'aria-labelledby': 'mf-fit-title', 'data-scope': 'fit' },
        el('h3', { id: 'mf-fit-title' }, `Fit rules (${fit.length})`),
        el(
          'ol',
          { class: 'mf-rules' },
          ...fit.map((rule, i) =>
            isObject(rule)
              ? fitItem(rule, i, fit)
              : el(
                  'li',
                  { class: 'mf-rule', 'data-scope': `fit[${i}]` },
                  'Not a fit rule object: edit it in the JSON.',
                  el('ul', { class: 'mf-errors' }),
                ),
          ),
        ),
        el('ul', { class: 'mf-errors' }),
        addFit,
      ),
    );
  }

  function showErrors(errors: ModelError[]): void {
    for (const old of root.querySelectorAll('.field-error, .mf-errors > li')) old.remove();
    for (const control of root.querySelectorAll<HTMLElement>('[aria-invalid]')) {
      control.removeAttribute('aria-invalid');
      const hint = control.id ? `${control.id}-hint` : '';
      if (root.querySelector(`#${CSS.escape(hint)}`)) control.setAttribute('aria-describedby', hint);
      else control.removeAttribute('aria-describedby');
    }
    const byPath = (path: string) =>
      root.querySelector<HTMLElement>(
        `[data-path="${CSS.escape(path)}"], [data-scope="${CSS.escape(path)}"]`,
      );
    for (const error of errors) {
      const anchor = errorAnchor(error.path, (p) => byPath(p) !== null);
      const target = anchor === undefined ? null : byPath(anchor);
      if (!target) continue;
      const text =
        anchor === error.path
          ? error.message
          : `${error.path.slice((anchor ?? '').length).replace(/^\./, '')}: ${error.message}`;
      if (target.dataset.scope !== undefined) {
        target
          .querySelector(':scope > fieldset > .mf-errors, :scope > .mf-errors')
          ?.append(el('li', { 'data-path': error.path }, text));
        continue;
      }
      const message = el('span', { class: 'field-error', id: nextId(), 'data-error-for': error.path }, text);
      target.closest('.mf-field')?.append(message);
      target.setAttribute('aria-invalid', 'true');
      target.setAttribute(
        'aria-describedby',
        [target.getAttribute('aria-describedby'), message.id].filter(Boolean).join(' '),
      );
    }
  }

  return { root, render, showErrors };
}
