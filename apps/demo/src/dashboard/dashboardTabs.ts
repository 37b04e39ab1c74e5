// Routing between the dashboard's views: tabs by click or arrow keys (the ARIA tabs pattern); a view that
// loads its data on the way in says so.
import type { DashboardContext } from './dashboardContext.js';

/** The tabs. */
export interface DashboardTabs {
  /** Shows one view (`view-<tab>`) and loads it on the way in, unless `load` is false. */
  select(tab: string, focus?: boolean, load?: boolean): void;
}

/** Mounts the page's `[data-tab]` buttons; `loads` fetches a view's data when it opens. */
export function mountTabs(
  ctx: DashboardContext,
  loads: Partial<Record<string, () => Promise<void>>>,
): DashboardTabs {
  const tabs = [...document.querySelectorAll<HTMLElement>('[data-tab]')];

  function select(tab: string, focus = false, load = true) {
    for (const b of tabs) {
      const active = b.dataset.tab === tab;
      ctx.byId(`view-${b.dataset.tab}`).hidden = !active;
      b.classList.toggle('is-active', active);
      b.setAttribute('aria-selected', String(active));
      b.tabIndex = active ? 0 : -1;
      if (active && focus) b.focus();
    }
    const loadView = loads[tab];
    if (load && loadView) void ctx.guarded(loadView);
  }

  for (const b of tabs) {
    b.addEventListener('click', () => select(b.dataset.tab ?? 'overview'));
    b.addEventListener('keydown', (event) => {
      const i = tabs.indexOf(b);
      const to =
        event.key === 'ArrowRight'
          ? i + 1
          : event.key === 'ArrowLeft'
            ? i - 1
            : event.key === 'Home'
              ? 0
              : event.key === 'End'
                ? tabs.length - 1
                : undefined;
      if (to === undefined) return;
      event.preventDefault();
      const next = tabs[(to + tabs.length) % tabs.length] as HTMLElement;
      select(next.dataset.tab ?? 'overview', true);
    });
  }

  return { select };
}
