import { isObject, type ModelError, STANDARD_EVENT_TYPES } from '@leadlight/scoring-core';
import { el } from './element.js';
import { engagementRuleItem } from './engagementRuleItem.js';
import { fitRuleItem } from './fitRuleItem.js';
import { errorAnchor, type Json } from './modelDraft.js';
import { type FormEdits, nextId } from './modelFormControls.js';
import { modelSettings } from './modelSettings.js';
import { ruleList } from './ruleItem.js';

/** Event types the rule editor suggests: the standard ones and the SDK's popups (any valid name may be typed). */
const EVENT_TYPES = [...STANDARD_EVENT_TYPES, 'popup_shown'];
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

  const edits: FormEdits = {
    changed: () => onEdit(draft),
    restructure(focus) {
      const active = document.activeElement as HTMLElement | null;
      const key = focus ?? (root.contains(active) ? active?.dataset.focus : undefined);
      render(draft);
      onEdit(draft);
      if (key) root.querySelector<HTMLElement>(`[data-focus="${CSS.escape(key)}"]`)?.focus();
    },
  };

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
    root.replaceChildren(
      el('datalist', { id: 'mf-events' }, ...EVENT_TYPES.map((t) => el('option', { value: t }))),
      el('datalist', { id: 'mf-traits' }, ...TRAITS.map((t) => el('option', { value: t }))),
      modelSettings(draft, edits),
      ruleList('rules', rules, edits, {
        heading: 'Engagement rules',
        item: (i) => engagementRuleItem(rules, i, edits),
        create: () => ({
          id: freshId(draft, 'new-rule'),
          label: 'New rule',
          event: 'page_view',
          match: { path: '/*' },
          points: 5,
        }),
      }),
      ruleList('fit', fit, edits, {
        heading: 'Fit rules',
        item: (i) => fitRuleItem(fit, i, edits),
        create: () => ({
          id: freshId(draft, 'new-fit'),
          label: 'New fit rule',
          trait: 'role',
          in: ['vp'],
          points: 5,
        }),
      }),
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
