import type { LeadlightGlobal } from './leadlightGlobal.js';

/** The first invalid field of a group, with its browser message, or undefined when all are valid. */
function firstInvalid(fields: Iterable<Element>): { field: HTMLElement; message: string } | undefined {
  for (const field of fields) {
    if ((field instanceof HTMLInputElement || field instanceof HTMLSelectElement) && !field.checkValidity()) {
      const label = field.closest('label')?.firstChild?.textContent?.trim() ?? field.name;
      return { field, message: `${label}: ${field.validationMessage}` };
    }
  }
  return undefined;
}

/**
 * Wires a lead form: steps (`fieldset[data-step]`), validation, then a flush (bounded, so a slow network never
 * traps the visitor) and the thank-you page. The SDK itself sends `form_submit` and the `identify` built from the
 * fields marked `data-ll-trait` (and the email field), as on any customer's site — only when the fields' native
 * constraints hold; an attempt this script refuses is `form_invalid`.
 */
export function installLeadForm(
  form: HTMLFormElement,
  leadlight: () => LeadlightGlobal | undefined,
  navigate: (url: string) => void,
  flushTimeoutMs = 1500,
): void {
  const steps = [...form.querySelectorAll<HTMLFieldSetElement>('fieldset[data-step]')];
  const markers = [...form.querySelectorAll<HTMLLIElement>('.steps li')];
  const error = form.querySelector<HTMLElement>('.form-error');
  let current = 0;
  const show = (index: number) => {
    current = index;
    steps.forEach((step, i) => {
      step.hidden = i !== index;
    });
    markers.forEach((marker, i) => {
      marker.classList.toggle('is-current', i === index);
      marker.classList.toggle('is-done', i < index);
    });
    steps[index]?.querySelector<HTMLElement>('input, select')?.focus();
  };
  const complain = (problem: { field: HTMLElement; message: string } | undefined): boolean => {
    if (error) {
      error.hidden = !problem;
      error.textContent = problem?.message ?? '';
    }
    problem?.field.focus();
    return Boolean(problem);
  };
  form.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    if (target.closest('[data-step-next]')) {
      if (!complain(firstInvalid(steps[current]?.elements ?? []))) show(current + 1);
    } else if (target.closest('[data-step-back]')) {
      complain(undefined);
      show(Math.max(0, current - 1));
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (complain(firstInvalid(form.elements))) return;
    const next = form.dataset.next ?? '/';
    const ll = leadlight();
    if (ll) {
      // The SDK queued form_submit and identify in this same submit dispatch; they are durable already, and
      // flushing first just makes the thank-you page's score current.
      await Promise.race([
        ll.flush().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, flushTimeoutMs)),
      ]);
    }
    for (const marker of markers) marker.classList.add('is-done');
    navigate(next);
  });
}
