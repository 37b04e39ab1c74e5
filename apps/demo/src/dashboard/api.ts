import type { Funnel as CollectorFunnel, ModelReview } from '@leadlight/collector';
import type { ScoreResult, ScoringModel, Stage, TrackedEvent } from '@leadlight/scoring-core';
import type { AccountScore } from '@leadlight/scoring-core/accounts';
import { DemoError } from '../demoError.js';
import type { OutcomeItem } from './outcomeCsv.js';

/** One stage change of a contact (automatic ones included). */
export interface StageChange {
  from: Stage | null;
  to: Stage;
  at: number;
  by: string;
  reason?: string | null;
  revenue?: number | null;
}

/** A note on a contact: who wrote it and when. */
export interface Note {
  at: number;
  by: string;
  text: string;
}

/** Who owns a contact, who assigned it and when. */
export interface Owner {
  name: string;
  at: number;
  by: string;
}

/** A contact as `/v1/leads` and `/v1/leads/:id` answer it (DESIGN.md §6). */
export interface Contact {
  id: string;
  stage: Stage;
  traits: Record<string, unknown>;
  anonymousIds: string[];
  score: ScoreResult;
  eventCount: number;
  stageHistory?: StageChange[];
  mqlAt?: number | null;
  revenue?: number | null;
  channel?: string;
  /** When each stage was first reached. */
  reached?: Partial<Record<Stage, number>>;
  /** The owner's name (list items). */
  owner?: string | null;
  firstSeenAt?: number;
  lastSeenAt?: number;
  recentEvents?: TrackedEvent[];
}

/** One contact as `/v1/leads/:id` answers it: with its notes and owner. */
export type ContactDetail = Omit<Contact, 'owner'> & { notes?: Note[]; owner?: Owner | null };

/** What the notes endpoints answer. */
export interface NotesAnswer {
  contactId: string;
  notes: Note[];
  owner: Owner | null;
}

/** An account (company) as `/v1/accounts` answers it; the detail adds its members (`contacts`). */
export interface Account {
  id: string;
  domain?: string;
  name?: string;
  traits: Record<string, unknown>;
  stage: 'account' | 'mqa';
  mqaAt: number | null;
  members: number;
  score: AccountScore & { contributions?: { id: string; engagement: number }[] };
  contacts?: {
    id: string;
    email: string | null;
    stage: Stage;
    traits: Record<string, unknown>;
    score: ScoreResult;
  }[];
}

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

/** A paged answer. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `/v1/funnel`: the collector's figures overall and per first-touch channel. */
export type Funnel = CollectorFunnel & { botEvents?: number; botVisitors?: number };

/** The review's outcomes. */
export type ReviewOutcome = ModelReview['outcome'];

/** `POST /v1/outcomes`: how many moves were recorded, and each item's contact or error. */
export interface OutcomesAnswer {
  recorded: number;
  results: { index: number; contactId?: string; stage?: Stage; unchanged?: boolean; error?: string }[];
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
  async session(): Promise<{ siteKey: string; name: string | null } | null> {
    return (
      await this.request<{ session: { siteKey: string; name: string | null } | null }>('GET', '/v1/session')
    ).session;
  }

  /** Ends the session. */
  async logout(): Promise<void> {
    await this.request('DELETE', '/v1/session');
  }

  /** One page of contacts, searched, filtered and sorted by the collector (by score by default). */
  leads(query: LeadQuery & { limit?: number; cursor?: string | null } = {}): Promise<Page<Contact>> {
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
  async allLeads(max = 1000, pageSize = 200, query: LeadQuery = {}): Promise<Contact[]> {
    const all: Contact[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Contact> = await this.leads({ ...query, limit: pageSize, cursor });
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
  async events(id: string, options: { type?: string; limit?: number } = {}): Promise<TrackedEvent[]> {
    const all: TrackedEvent[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ limit: String(options.limit ?? 500) });
      if (options.type) params.set('type', options.type);
      if (cursor) params.set('cursor', cursor);
      const page: Page<TrackedEvent> = await this.request(
        'GET',
        `/v1/leads/${encodeURIComponent(id)}/events?${params}`,
      );
      all.push(...page.items);
      cursor = options.limit ? null : page.nextCursor;
    } while (cursor);
    return all;
  }

  /** Funnel counts and rates of the contacts first seen in the range (all time without one). */
  funnel(range: DateRange = {}): Promise<Funnel> {
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
  eraseLead(id: string): Promise<{ contactId: string; erased: Record<string, number> }> {
    // A JSON body: the collector accepts cookie-signed writes only as JSON.
    return this.request('DELETE', `/v1/leads/${encodeURIComponent(id)}`, {});
  }

  /** Accounts by score, highest first (one page of up to `limit`). */
  accounts(limit = 100): Promise<Page<Account>> {
    return this.request('GET', `/v1/accounts?limit=${limit}`);
  }

  /** One account with its members' scores (its buying committee). */
  account(id: string): Promise<Account> {
    return this.request('GET', `/v1/accounts/${encodeURIComponent(id)}`);
  }

  /** The site's privacy policy: how many days events are kept (null: until erased). */
  privacy(): Promise<{ retentionDays: number | null }> {
    return this.request('GET', '/v1/privacy');
  }

  /** The model the site scores with now. */
  model(siteKey: string): Promise<ScoringModel> {
    return this.request('GET', `/v1/model?siteKey=${encodeURIComponent(siteKey)}`);
  }

  /** Publishes a model (the collector validates it again). */
  publishModel(model: ScoringModel): Promise<unknown> {
    return this.request('PUT', '/v1/model', model);
  }

  /** How well the model predicted an outcome, and re-fitted points (`GET /v1/model/review`). */
  review(outcome: ReviewOutcome, refresh = false): Promise<ModelReview & { refreshing: boolean }> {
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
