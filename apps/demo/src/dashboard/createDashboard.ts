// The Leadlight dashboard: sign in with the secret key and a display name (the key is exchanged for an
// HttpOnly cookie), then leads, funnel, channels and stages over a date range, live updates, notes, owners,
// sales actions, CSV export, the model editor, the review, accounts and the traffic simulator.
import { DemoError } from '../demoError.js';
import { mountAccountsView } from './accountsView.js';
import type { DashboardApi } from './api.js';
import { createDashboardState, type DashboardContext, type NoticeSource } from './dashboardContext.js';
import { mountTabs } from './dashboardTabs.js';
import { mountLeadDetail } from './leadDetail.js';
import { mountLeadList } from './leadList.js';
import { liveStream } from './liveStream.js';
import { mountModelEditor } from './modelEditor.js';
import { mountOverview } from './overviewView.js';
import { mountModelReview } from './reviewView.js';
import { mountSignIn } from './signIn.js';
import { simulateTraffic } from './simulateTraffic.js';

/** A dashboard on a page. */
export interface Dashboard {
  /** Opens the shell for an existing session, else the sign-in form. */
  start(): void;
}

/**
 * Builds the dashboard on `doc` (the page `site/dashboard/index.html`), talking to the collector through
 * `api`: one state object, created here and handed to each part.
 */
export function createDashboard(doc: Document, api: DashboardApi, siteKey: string): Dashboard {
  const state = createDashboardState();
  const byId = <T extends HTMLElement = HTMLElement>(id: string) => doc.getElementById(id) as T;

  function notify(text: string, kind: 'info' | 'error', source: NoticeSource = 'action') {
    const banner = byId('banner');
    banner.textContent = text;
    banner.dataset.kind = kind;
    banner.dataset.source = source;
  }

  async function guarded<T>(work: () => Promise<T>, source: NoticeSource = 'action'): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DemoError && error.code === 'unauthorized')
        signIn.showLogin('Your session ended. Sign in again.');
      else notify((error as Error).message, 'error', source);
      return undefined;
    }
  }

  let refreshing: Promise<void> | undefined;
  let again = false;
  function refresh(): Promise<void> {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        await guarded(reload, 'refresh');
      } while (again);
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  const ctx: DashboardContext = { api, siteKey, state, byId, notify, guarded, refresh };
  const overview = mountOverview(ctx);
  const detail = mountLeadDetail(ctx);
  const leads = mountLeadList(ctx, detail);
  const stream = liveStream(byId('live'), () => void refresh());

  async function reload() {
    const banner = byId('banner');
    if (banner.dataset.kind === 'error' && banner.dataset.source === 'refresh') notify('', 'info');
    const range = overview.currentRange();
    const [funnel, contacts, matches, model] = await Promise.all([
      api.funnel(range),
      api.allLeads(1000),
      leads.askMatches(),
      api.model(siteKey).catch(() => state.model),
    ]);
    state.contacts = contacts;
    if (matches) state.matches = matches.list;
    state.model = model;
    overview.render(funnel, contacts, range);
    leads.render();
    if (state.selected) await detail.open(state.selected);
    doc.body.dataset.refreshedAt = String(Date.now());
  }

  const accounts = mountAccountsView(
    byId('view-accounts'),
    api,
    () => state.model,
    (error) => notify((error as Error).message, 'error'),
  );
  const editor = mountModelEditor(
    byId('view-model'),
    api,
    siteKey,
    () => Date.now(),
    (text) => notify(text, 'info'),
  );
  const review = mountModelReview(byId('view-review'), api, siteKey, {
    async applyToWhatIf(model) {
      tabs.select('model', true, false);
      await guarded(() => editor.loadDraft(model));
      notify('The suggested points are in the model editor’s draft: the what-if shows their effect.', 'info');
    },
    confirm: (text) => notify(text, 'info'),
    now: () => Date.now(),
  });
  const tabs = mountTabs(ctx, {
    model: () => editor.reload(),
    review: () => review.load(),
    accounts: () => accounts.reload(),
  });

  const signIn = mountSignIn(ctx, {
    async entered() {
      stream.connect();
      void guarded(async () => overview.showRetention((await api.privacy()).retentionDays));
      await refresh();
    },
    left: () => stream.close(),
  });
  byId('simulate').addEventListener(
    'click',
    (event) => void simulateTraffic(ctx, event.currentTarget as HTMLButtonElement),
  );

  return { start: () => signIn.start() };
}
