import { el } from './element.js';

/**
 * Asks, in a modal dialog, whether to erase a contact; resolves true only on the explicit "Erase" button.
 * `showModal` keeps focus inside the dialog and Escape cancels; focus starts on "Cancel" so Enter alone
 * never erases, and returns to the element that opened it.
 */
export function confirmErase(name: string): Promise<boolean> {
  const opener = document.activeElement as HTMLElement | null;
  const cancel = el('button', { type: 'button', class: 'btn btn-small', 'data-erase': 'cancel' }, 'Cancel');
  const erase = el(
    'button',
    { type: 'button', class: 'btn btn-small btn-danger', 'data-erase': 'confirm' },
    'Erase',
  );
  const dialog = el(
    'dialog',
    { class: 'erase-dialog', 'aria-labelledby': 'erase-title', 'aria-describedby': 'erase-text' },
    el('h2', { id: 'erase-title' }, `Erase ${name}?`),
    el(
      'p',
      { id: 'erase-text' },
      'Every event, trait, browser and stage change of this contact is deleted for good. The audit trail keeps only who erased it and when.',
    ),
    el('div', { class: 'actions' }, cancel, erase),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer = false;
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(answer);
    });
    cancel.addEventListener('click', () => dialog.close());
    erase.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    dialog.showModal();
    cancel.focus();
  });
}
