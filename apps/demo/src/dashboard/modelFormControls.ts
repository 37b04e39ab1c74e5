// The model editor's labelled controls and the two ways an edit reaches the draft: a value changed in
// place, or a change of shape that re-renders the form.
import { el } from './element.js';
import { type Json, valueText } from './modelDraft.js';

/** What a part of the visual editor calls after it edited the draft. */
export interface FormEdits {
  /** A value changed in place: the JSON view and the what-if follow. */
  changed(): void;
  /** The shape changed (added, removed, another operator): re-renders, then focuses `focus` or what had it. */
  restructure(focus?: string): void;
}

let ids = 0;
/** A fresh element id for the form's labels and messages. */
export const nextId = (): string => `mf-${++ids}`;

/** A labelled control: the label names it, `data-path` ties it to validation errors and focus. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = nextId();
  control.id = id;
  const hintEl = hint ? el('span', { class: 'mf-hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return el('div', { class: 'mf-field' }, el('label', { for: id }, label), control, hintEl);
}

/** A text (or number) input bound to a JSON path. */
export function input(
  path: string,
  value: unknown,
  attrs: Record<string, string | number | boolean> = {},
): HTMLInputElement {
  return el('input', {
    type: 'text',
    'data-path': path,
    'data-focus': path,
    value: valueText(value),
    autocomplete: 'off',
    ...attrs,
  });
}

/** A select bound to a JSON path. */
export function select(
  path: string,
  options: { value: string; label: string }[],
  current: string,
): HTMLSelectElement {
  return el(
    'select',
    { 'data-path': path, 'data-focus': path },
    ...options.map((o) => el('option', { value: o.value, selected: o.value === current }, o.label)),
  );
}

/** A small button; `focus` names it for focus to come back after a re-render. */
export function button(text: string, focus: string, extra: Record<string, string> = {}): HTMLButtonElement {
  return el('button', { type: 'button', class: 'btn btn-small', 'data-focus': focus, ...extra }, text);
}

/** Writes each typed value into the draft with `write`, then tells the form. */
export function onText(
  edits: FormEdits,
  control: HTMLInputElement,
  write: (value: string) => void,
): HTMLInputElement {
  control.addEventListener('input', () => {
    write(control.value);
    edits.changed();
  });
  return control;
}

/** Sets a key, or removes it when the value is empty (an optional key is then left out of the model). */
export function setOrDelete(object: Json, key: string, value: unknown): void {
  if (value === undefined || value === '') delete object[key];
  else object[key] = value;
}
