import type { VisitorRecord } from './visitorRecord.js';

/** What the exit popup needs from the personalizer. */
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
  log: (message: string) => void;
}

const DAY = 864e5;

/** The popup's name in events and in the record: `data-ll-exit-popup="name"`, else its id. */
export function popupId(dialog: Element): string {
  return dialog.getAttribute('data-ll-exit-popup') || dialog.id || 'exit';
}

/** True when the popup may open now: conditions hold, not converted, not suppressed, outside its cap. */
export function popupAllowed(dialog: HTMLDialogElement, ctx: ExitPopupContext): boolean {
  const id = popupId(dialog);
  const suppress = dialog.getAttribute('data-ll-suppress-stages');
  const days = Number(dialog.getAttribute('data-ll-every-days') ?? ctx.everyDays);
  const last = ctx.record.shown[id];
  return (
    !dialog.open &&
    !ctx.record.converted.includes(id) &&
    !(suppress && ctx.inStages(suppress)) &&
    !(last !== undefined && ctx.now() - last < (Number.isFinite(days) ? days : ctx.everyDays) * DAY) &&
    ctx.holds(dialog)
  );
}

/** Records a conversion once and emits `popup_converted`. */
function convert(dialog: HTMLDialogElement, ctx: ExitPopupContext): void {
  const id = popupId(dialog);
  if (ctx.record.converted.includes(id)) return;
  ctx.record.converted.push(id);
  ctx.track('popup_converted', { popup: id });
  ctx.changed();
}

/** Names the dialog after its first heading when the page did not label it. */
function label(dialog: HTMLDialogElement, ctx: ExitPopupContext): void {
  if (dialog.hasAttribute('aria-label') || dialog.hasAttribute('aria-labelledby')) return;
  const heading = dialog.querySelector('h1,h2,h3,h4,h5,h6');
  if (!heading) {
    ctx.log(`exit popup "${popupId(dialog)}" has no heading, aria-label or aria-labelledby`);
    return;
  }
  heading.id ||= `ll-${popupId(dialog)}-title`;
  dialog.setAttribute('aria-labelledby', heading.id);
}

/** Wires a popup once: closes on `data-ll-close` and backdrop clicks, converts on `data-ll-convert` or a real submit. */
function wire(dialog: HTMLDialogElement, ctx: ExitPopupContext): void {
  dialog.addEventListener('submit', (e) => {
    const submitter = (e as SubmitEvent).submitter;
    const method = submitter?.getAttribute('formmethod') ?? (e.target as Element).getAttribute('method');
    // A `method="dialog"` form is the native "close" button, not a conversion.
    if (method?.toLowerCase() !== 'dialog') convert(dialog, ctx);
  });
  dialog.addEventListener('click', (e) => {
    const target = e.target as Element;
    if (target.closest('[data-ll-convert]')) convert(dialog, ctx);
    if (target.closest('[data-ll-close]')) dialog.close();
    // A click on the ::backdrop targets the dialog itself, outside its box.
    const box = dialog.getBoundingClientRect();
    const { clientX: x, clientY: y } = e as MouseEvent;
    if (target === dialog && (x < box.left || x > box.right || y < box.top || y > box.bottom)) dialog.close();
  });
}

/** Opens the first exit popup on the page that is allowed now; returns whether one opened. */
export function openExitPopup(ctx: ExitPopupContext, wired: WeakSet<Element>): boolean {
  for (const dialog of ctx.doc.querySelectorAll<HTMLDialogElement>('dialog[data-ll-exit-popup]')) {
    if (!popupAllowed(dialog, ctx)) continue;
    const back = ctx.doc.activeElement as HTMLElement | null;
    label(dialog, ctx);
    if (!wired.has(dialog)) {
      wired.add(dialog);
      wire(dialog, ctx);
    }
    // showModal moves focus in, makes the page inert and closes on Esc; focus goes back where it was.
    dialog.showModal();
    dialog.addEventListener('close', () => back?.focus?.(), { once: true });
    ctx.record.shown[popupId(dialog)] = ctx.now();
    ctx.track('popup_shown', { popup: popupId(dialog) });
    ctx.changed();
    return true;
  }
  return false;
}
