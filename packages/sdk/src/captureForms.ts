import { type CaptureContext, listen, onPageHide, targetElement } from './captureContext.js';

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

interface FormState {
  name: string;
  fields: string[];
  submitted: boolean;
}

const NOT_FIELDS = /^(submit|button|reset|image)$/;

/**
 * A field whose value or name the SDK may look at: never hidden, password or credit-card fields (their value
 * is not read at all, and their names stay out of events), never fields or forms marked `data-ll-ignore`.
 */
export function isReadableField(el: Element): el is Field {
  const type = (el.getAttribute('type') ?? '').toLowerCase();
  const autocomplete = (el.getAttribute('autocomplete') ?? '').toLowerCase();
  return (
    /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) &&
    type !== 'hidden' &&
    type !== 'password' &&
    !NOT_FIELDS.test(type) &&
    !/(^|\s)cc-/.test(autocomplete) &&
    !el.closest('[data-ll-ignore]')
  );
}

/** The form's name: `data-ll-form`, else its id or name attribute, else its action path, else its position. */
export function formName(form: HTMLFormElement): string {
  // Attributes, not properties: an <input name="id"> shadows form.id.
  const action = form.getAttribute('action');
  let path = '';
  if (action) {
    try {
      path = new URL(action, form.ownerDocument.baseURI).pathname;
    } catch {
      /* an unparsable action names nothing */
    }
  }
  return (
    form.getAttribute('data-ll-form') ||
    form.getAttribute('id') ||
    form.getAttribute('name') ||
    path ||
    `form${Array.prototype.indexOf.call(form.ownerDocument.forms, form)}`
  );
}

/**
 * Form start (first input or change in a form), submit (only when the form passes its own constraints; else
 * `form_invalid`), and abandon (started, then the visitor left: page hidden for good, SPA navigation). Events
 * carry field names only; values are read at submit, only for fields mapped to traits. Returns `leave()`, which
 * turns started, unsubmitted forms into `form_abandon`.
 */
export function captureForms(
  ctx: CaptureContext,
  /** Trait name → field names (case-insensitive) whose values become `identify` traits on submit. */
  traitFields: Record<string, string[]>,
  /** Sends the traits read from a submitted form. */
  identify: (traits: Record<string, string>) => void,
): () => void {
  const states = new Map<HTMLFormElement, FormState>();
  const mapping = new Map<string, string>();
  for (const [trait, names] of Object.entries(traitFields)) {
    for (const n of names) mapping.set(n.toLowerCase(), trait);
  }
  const emailByDefault = !('email' in traitFields);
  const fieldName = (el: Field) => el.getAttribute('name') || el.id;
  const stateOf = (form: HTMLFormElement): FormState => {
    const state = states.get(form) ?? { name: formName(form), fields: [], submitted: false };
    states.set(form, state);
    return state;
  };
  const trackForm = (type: string, state: FormState) =>
    ctx.track(type, { form: state.name, fields: state.fields.slice() });

  const interacted = (event: Event) => {
    const el = targetElement(event);
    const form = (el as Field | null)?.form;
    if (!el || !form || form.closest('[data-ll-ignore]') || el.closest('[data-ll-ignore]')) return;
    const started = states.has(form);
    const state = stateOf(form);
    addField(state, el);
    if (!started) trackForm('form_start', state);
  };
  const addField = (state: FormState, el: Element) => {
    const name = isReadableField(el) ? fieldName(el) : '';
    if (name && !state.fields.includes(name)) state.fields.push(name);
  };

  const submitted = (event: Event) => {
    const form = event.target as HTMLFormElement;
    if (form.tagName !== 'FORM' || form.closest('[data-ll-ignore]')) return;
    const state = stateOf(form);
    // What checkValidity() answers, without firing `invalid` events at the page's own handlers. A `novalidate`
    // form the site's script is about to refuse still fires `submit`: that attempt is no submission.
    if (form.matches(':invalid')) return trackForm('form_invalid', state);
    state.submitted = true;
    // The site sends form_submit (and identify) itself, once its own checks pass.
    if (form.hasAttribute('data-ll-manual-submit')) return;
    const traits: Record<string, string> = {};
    for (const el of Array.from(form.elements)) {
      if (!isReadableField(el)) continue;
      const trait = traitOf(el);
      if (!trait) continue;
      const value = el.value.trim().slice(0, 256);
      if (value && (trait !== 'email' || value.includes('@'))) traits[trait] = value;
    }
    trackForm('form_submit', state);
    if (Object.keys(traits).length) identify(traits);
  };
  const traitOf = (el: Field): string | undefined => {
    const explicit = el.getAttribute('data-ll-trait');
    if (explicit) return explicit;
    const byName = mapping.get(fieldName(el).toLowerCase());
    if (byName) return byName;
    if (
      emailByDefault &&
      (el.getAttribute('type') === 'email' || /(^|\s)email$/.test(el.getAttribute('autocomplete') ?? ''))
    ) {
      return 'email';
    }
    return undefined;
  };

  // Each form leaves the map before its abandon is sent: a second run (see onPageHide) sends none twice.
  const leave = () => {
    for (const [form, state] of states) {
      states.delete(form);
      if (!state.submitted) trackForm('form_abandon', state);
    }
  };

  const doc = ctx.window.document;
  listen(ctx, doc, 'input', interacted);
  listen(ctx, doc, 'change', interacted);
  listen(ctx, doc, 'submit', submitted);
  // pagehide, never unload: an unload handler costs the page its back-forward cache.
  onPageHide(ctx, leave);
  return leave;
}
