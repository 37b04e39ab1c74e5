// The contact panel beside the leads table: opens a contact, re-renders it on live updates without losing
// what someone is typing, closes by button or Escape and gives focus back to what opened it.
import { contactDetail } from './contactDetail.js';
import type { DashboardContext } from './dashboardContext.js';
import { focusedKey, restoreFocus } from './focusKey.js';
import { ownerNames } from './leadFilters.js';
import { ruleLabels } from './ruleLabels.js';
import { salesActions } from './salesActions.js';

/** The contact panel. */
export interface LeadDetail {
  /** Shows contact `id` (again, after a change: what is typed in it survives); `focus` moves focus to it. */
  open(id: string, options?: { focus?: boolean }): Promise<void>;
  close(): void;
}

/** Mounts the panel in `#detail-panel`. */
export function mountLeadDetail(ctx: DashboardContext): LeadDetail {
  const { api, state, byId } = ctx;

  async function open(id: string, options: { focus?: boolean } = {}) {
    const same = state.selected === id;
    state.selected = id;
    const [contact, events] = await Promise.all([api.lead(id), api.events(id)]);
    if (state.selected !== id) return;
    // Live updates re-render the open contact: what someone is typing (revenue, a note, an owner) survives it.
    const detail = byId('detail');
    const kept = new Map<string, string>();
    if (same)
      for (const field of detail.querySelectorAll<HTMLInputElement>('[data-keep]'))
        kept.set(field.dataset.keep ?? '', field.value);
    const focusKey = same ? focusedKey(detail) : undefined;
    if (state.detailStatus.id !== id) state.detailStatus = { id, text: '' };
    detail.replaceChildren(
      contactDetail(contact, events, {
        me: state.me,
        owners: ownerNames(state.contacts, state.me),
        labels: ruleLabels(state.model),
        status: state.detailStatus.text,
        report: (text) => {
          state.detailStatus = { id, text };
        },
        actions: (report) =>
          salesActions(api, id, {
            report,
            onChanged: () => void ctx.refresh(),
            onErased: (name) => {
              close();
              ctx.notify(`${name} erased: their events, traits, notes and history are gone.`, 'info');
              void ctx.refresh();
            },
          }),
      }),
    );
    for (const [key, value] of kept) {
      const field = detail.querySelector<HTMLInputElement>(`[data-keep="${CSS.escape(key)}"]`);
      if (field && value !== '') field.value = value;
    }
    restoreFocus(detail, focusKey);
    byId('detail-panel').hidden = false;
    if (options.focus) byId('detail-title').focus();
    for (const row of document.querySelectorAll('tr[data-contact]'))
      row.classList.toggle('is-selected', row.getAttribute('data-contact') === id);
  }

  function close() {
    state.selected = undefined;
    byId('detail-panel').hidden = true;
    for (const row of document.querySelectorAll('tr.is-selected')) row.classList.remove('is-selected');
    const opener = state.opener?.isConnected
      ? state.opener
      : (document.querySelector<HTMLElement>(`[data-open]`) ?? undefined);
    opener?.focus();
    state.opener = undefined;
  }

  byId('close-detail').addEventListener('click', close);
  document.addEventListener('keydown', (event) => {
    // Escape closes the panel from inside it (or when focus fell to the page), unless a dialog (the erase
    // confirmation) is taking it.
    const panel = byId('detail-panel');
    const active = document.activeElement;
    const here = panel.contains(active) || active === document.body || active === null;
    if (event.key === 'Escape' && !panel.hidden && here && !document.querySelector('dialog[open]')) {
      event.preventDefault();
      close();
    }
  });

  return { open, close };
}
