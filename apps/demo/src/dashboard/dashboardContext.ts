// The dashboard's state and what each of its parts is given: one of each per page, made by createDashboard.
import type { ScoringModel } from '@leadlight/scoring-core';
import type { ContactListItem } from '@leadlight/scoring-core/wire';
import type { DashboardApi } from './api.js';
import type { LeadFilter, LeadSort } from './leadFilters.js';
import type { TimeUnit } from './stagesOverTime.js';

/** What the dashboard holds between renders. */
export interface DashboardState {
  /** The signed-in person's display name ('' when none was given). */
  me: string;
  /** The contact open in the panel. */
  selected: string | undefined;
  /** What opened the contact panel, to give focus back when it closes. */
  opener: HTMLElement | undefined;
  /** The open contact's last confirmation, kept across live re-renders. */
  detailStatus: { id: string; text: string };
  /** The first 1,000 contacts by score: the time chart, owner names, and the table while nothing is asked. */
  contacts: ContactListItem[];
  /** The collector's first 1,000 matches of the table's filter and sort, when they are not the defaults. */
  matches: ContactListItem[] | undefined;
  model: ScoringModel | undefined;
  filter: LeadFilter;
  sort: LeadSort;
  /** The date range: a number of days, `all` or `custom`. */
  preset: string;
  unit: TimeUnit;
}

/** The state of a dashboard nobody has signed in to yet. */
export function createDashboardState(): DashboardState {
  return {
    me: '',
    selected: undefined,
    opener: undefined,
    detailStatus: { id: '', text: '' },
    contacts: [],
    matches: undefined,
    model: undefined,
    filter: { query: '', stage: '', owner: '' },
    sort: { key: 'score', dir: 'desc' },
    preset: '30',
    unit: 'day',
  };
}

/**
 * Who set a banner line: `refresh` errors are cleared by the next good refresh; confirmations of what
 * someone did, and errors of what they did (`action`), stay until the next action.
 */
export type NoticeSource = 'action' | 'refresh';

/** What every part of the dashboard is given: the API, the state, the page, and the verbs they share. */
export interface DashboardContext {
  api: DashboardApi;
  siteKey: string;
  state: DashboardState;
  /** The page's element with this id. */
  byId<T extends HTMLElement = HTMLElement>(id: string): T;
  /** Shows a line under the top bar. */
  notify(text: string, kind: 'info' | 'error', source?: NoticeSource): void;
  /** Runs a call; a 401 anywhere sends the user back to the login form, another error shows in the banner. */
  guarded<T>(work: () => Promise<T>, source?: NoticeSource): Promise<T | undefined>;
  /** Reloads funnel, leads, the model and the open contact; calls that arrive mid-refresh coalesce into one more. */
  refresh(): Promise<void>;
}
