import type { ScoringModel, Stage } from '@leadlight/scoring-core';
import type {
  AccountDetail,
  AccountView,
  ContactDetail,
  ContactListItem,
  ErasureAnswer,
  FunnelAnswer,
  NotesAnswer,
  OutcomesAnswer,
  Page,
  PrivacyAnswer,
  PublishAnswer,
  ReceivedEvent,
  ReviewAnswer,
  ReviewOutcome,
  SessionAnswer,
} from '@leadlight/scoring-core/wire';
import { DemoError } from '../demoError.js';
import type { OutcomeItem } from './outcomeCsv.js';

/** A date range in ms since the epoch (either end open). */
export interface DateRange {
  from?: number;
  to?: number;
}

/** What `GET /v1/leads` searches, filters and sorts by (the collector README lists each parameter). */
export interface LeadQuery {
  q?: string;
  stage?: Stage;
  owner?: string;
  unassigned?: 'true';
  minScore?: number;
  maxScore?: number;
  /** `score`, `fit`, `engagement`, `lastSeen`, `stage` or `name`; a leading `-` for highest first. */
  sort?: string;
}

/** The dashboard's client for the collector's secret-key API, authenticated by the session cookie. */
export class DashboardApi {
  constructor(
    private readonly baseUrl = '',
    private readonly doFetch: typeof fetch = globalThis.fetch.bind(globalThis),
  ) {}

  /**
   * Exchanges the secret key for an HttpOnly session cookie (the key is never stored by the page); the
   * display name stays in the session and signs this person's changes (one key serves the whole team).
   */
  async login(secretKey: string, name: string): Promise<void> {
    await this.request('POST', '/v1/session', { secretKey, name });
  }

  /** Who is signed in on this browser: null without a session (answered 200 either way, no 401). */
  async session(): Promise<SessionAnswer['session']> {
    return (await this.request<SessionAnswer>('GET', '/v1/session')).session;
  }

  /** Ends the session. */
  async logout(): Promise<void> {
    await this.request('DELETE', '/v1/session');
  }

  /** One page of contacts, searched, filtered and sorted by the collector (by score by default). */
  leads(query: LeadQuery & { limit?: number; cursor?: string | null } = {}): Promise<Page<ContactListItem>> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (name !== 'limit' && name !== 'cursor' && value !== undefined && value !== '')
        params.set(name, String(value));
    }
    params.set('limit', String(query.limit ?? 100));
    if (query.cursor) params.set('cursor', query.cursor);
    return this.request('GET', `/v1/leads?${params}`);
  }

  /** Every contact that matches `query`, following cursors up to `max` (`pageSize` a page, at most 500). */
  async allLeads(max = 1000, pageSize = 200, query: LeadQuery = {}): Promise<ContactListItem[]> {
    const all: ContactListItem[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<ContactListItem> = await this.leads({ ...query, limit: pageSize, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && all.length < max);
    return all;
  }

  /** One contact with its traits, score breakdown, stage history, notes and owner. */
  lead(id: string): Promise<ContactDetail> {
    return this.request('GET', `/v1/leads/${encodeURIComponent(id)}`);
  }

  /** A contact's stored events, oldest first, every page (or the first `limit` when given). */
  async events(id: string, options: { type?: string; limit?: number } = {}): Promise<ReceivedEvent[]> {
    const all: ReceivedEvent[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ limit: String(options.limit ?? 500) });
      if (options.type) params.set('type', options.type);
      if (cursor) params.set('cursor', cursor);
      const page: Page<ReceivedEvent> = await this.request(
        'GET',
        `/v1/leads/${encodeURIComponent(id)}/events?${params}`,
      );
      all.push(...page.items);
      cursor = options.limit ? null : page.nextCursor;
    } while (cursor);
    return all;
  }

  /** Funnel counts and rates of the contacts first seen in the range (all time without one). */
  funnel(range: DateRange = {}): Promise<FunnelAnswer> {
    const params = new URLSearchParams();
    if (range.from !== undefined) params.set('from', String(Math.floor(range.from)));
    if (range.to !== undefined) params.set('to', String(Math.ceil(range.to)));
    const query = params.toString() ? `?${params}` : '';
    return this.request('GET', `/v1/funnel${query}`);
  }

  /** Adds a note to a contact (signed with the session's display name). */
  addNote(id: string, text: string): Promise<NotesAnswer> {
    return this.request('POST', `/v1/leads/${encodeURIComponent(id)}/notes`, { text });
  }

  /** Assigns a contact to an owner, or unassigns it with null. */
  setOwner(id: string, owner: string | null): Promise<NotesAnswer> {
    return this.request('PUT', `/v1/leads/${encodeURIComponent(id)}/owner`, { owner });
  }

  /** Moves a contact to a sales stage (or back to `lead`: recycle). */
  setStage(id: string, change: { stage: Stage; revenue?: number; reason?: string }): Promise<ContactDetail> {
    return this.request('POST', `/v1/leads/${encodeURIComponent(id)}/stage`, change);
  }

  /** Erases a contact and everything held about it; answers what was removed (counts). */
  eraseLead(id: string): Promise<ErasureAnswer> {
    // A JSON body: the collector accepts cookie-signed writes only as JSON.
    return this.request('DELETE', `/v1/leads/${encodeURIComponent(id)}`, {});
  }

  /** Accounts by score, highest first (one page of up to `limit`). */
  accounts(limit = 100): Promise<Page<AccountView>> {
    return this.request('GET', `/v1/accounts?limit=${limit}`);
  }

  /** One account with its members' scores (its buying committee). */
  account(id: string): Promise<AccountDetail> {
    return this.request('GET', `/v1/accounts/${encodeURIComponent(id)}`);
  }

  /** The site's privacy policy: how many days events are kept (null: until erased). */
  privacy(): Promise<PrivacyAnswer> {
    return this.request('GET', '/v1/privacy');
  }

  /** The model the site scores with now. */
  model(siteKey: string): Promise<ScoringModel> {
    return this.request('GET', `/v1/model?siteKey=${encodeURIComponent(siteKey)}`);
  }

  /** Publishes a model (the collector validates it again). */
  publishModel(model: ScoringModel): Promise<PublishAnswer> {
    return this.request('PUT', '/v1/model', model);
  }

  /** How well the model predicted an outcome, and re-fitted points (`GET /v1/model/review`). */
  review(outcome: ReviewOutcome, refresh = false): Promise<ReviewAnswer> {
    const params = new URLSearchParams({ outcome, ...(refresh ? { refresh: 'true' } : {}) });
    return this.request('GET', `/v1/model/review?${params}`);
  }

  /** Records CRM outcomes (at most 1,000 per call), answered per item. */
  recordOutcomes(items: OutcomeItem[]): Promise<OutcomesAnswer> {
    return this.request('POST', '/v1/outcomes', { items });
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.doFetch(`${this.baseUrl}${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new DemoError(
        'bad-response',
        `${method} ${path}: ${response.status}, not JSON: ${text.slice(0, 80)}`,
      );
    }
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new DemoError(
        response.status === 401 ? 'unauthorized' : (error?.code ?? `http-${response.status}`),
        error?.message ?? `${method} ${path}: ${response.status}`,
      );
    }
    return json as T;
  }
}
