import type { VisitorRecord } from './visitorRecord.js';

/** What the exit popups need from the personalizer. */
export interface ExitPopupContext {
  doc: Document;
  record: VisitorRecord;
  now: () => number;
  /** Default days between two showings of one popup. */
  everyDays: number;
  /** The popup's score, stage and `data-ll-if` conditions hold. */
  holds: (el: Element) => boolean;
  /** The `data-ll-suppress-stages` list names the visitor's stage. */
  inStages: (list: string) => boolean;
  track: (type: string, props: Record<string, unknown>) => void;
  /** Persists the record (frequency cap, conversions) and re-decides the page. */
  changed: () => void;
}

/** The popup's name in events and in the record: `data-ll-exit-popup="name"`, else its id, lowercased like the record. */
export function popupId(dialog: Element): string {
  return (dialog.getAttribute('data-ll-exit-popup') || dialog.id || 'exit').toLowerCase();
}

/**
 * Returns the exit-intent handler: it opens the first `<dialog data-ll-exit-popup>` whose conditions
 * hold, that the visitor has not converted on, whose stage is not suppressed and whose cap has passed.
 */
export function exitPopups({
  doc,
  record,
  now,
  everyDays,
  holds,
  inStages,
  track,
  changed,
}: ExitPopupContext): () => boolean {
  const wired = new WeakSet<Element>();
  const convert = (id: string): void => {
    if (record.converted.includes(id)) return;
    record.converted.push(id);
    track('popup_converted', { popup: id });
    changed();
  };
  const allowed = (dialog: HTMLDialogElement, id: string): boolean => {
    const suppress = dialog.getAttribute('data-ll-suppress-stages');
    const days = Number(dialog.getAttribute('data-ll-every-days') ?? everyDays);
    const last = record.shown[id] ?? Number.NEGATIVE_INFINITY;
    return (
      !dialog.open &&
      !record.converted.includes(id) &&
      !(suppress && inStages(suppress)) &&
      now() - last >= (days >= 0 ? days : everyDays) * 864e5 &&
      holds(dialog)
    );
  };
  const wire = (dialog: HTMLDialogElement, id: string): void => {
    wired.add(dialog);
    dialog.addEventListener('submit', (e) => {
      const method =
        (e as SubmitEvent).submitter?.getAttribute('formmethod') ??
        (e.target as Element).getAttribute('method');
      // A `method="dialog"` form is the native close button, not a conversion.
      if (method?.toLowerCase() !== 'dialog') convert(id);
    });
    dialog.addEventListener('click', (e) => {
      const target = e.target as Element;
      if (target.closest('[data-ll-convert]')) convert(id);
      if (target.closest('[data-ll-close]')) dialog.close();
    });
    if (!dialog.hasAttribute('aria-label') && !dialog.hasAttribute('aria-labelledby')) {
      // Named after its first heading when the page did not label it.
      const heading = dialog.querySelector('h1,h2,h3,h4,h5,h6');
      if (heading) {
        heading.id ||= `ll-${id}-title`;
        dialog.setAttribute('aria-labelledby', heading.id);
      }
    }
  };
  return () => {
    for (const dialog of doc.querySelectorAll<HTMLDialogElement>('dialog[data-ll-exit-popup]')) {
      const id = popupId(dialog);
      if (!allowed(dialog, id)) continue;
      const back = doc.activeElement as HTMLElement | null;
      if (!wired.has(dialog)) wire(dialog, id);
      // showModal moves focus in, makes the page inert and closes on Esc; focus then goes back where it was.
      dialog.showModal();
      dialog.addEventListener('close', () => back?.focus(), { once: true });
      record.shown[id] = now();
      track('popup_shown', { popup: id });
      changed();
      return true;
    }
    return false;
  };
}
