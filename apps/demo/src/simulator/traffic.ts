import type { TrackedEvent } from '@leadlight/scoring-core';
import type { OutcomeResult } from '@leadlight/scoring-core/wire';
import { planCrowd } from './crowd.js';
import { FIRST_NAMES, LAST_NAMES, PERSONAS, type Persona, type SalesAction } from './personas.js';
import { seededRandom } from './random.js';
import type { DatedOutcome } from './salesOutcomes.js';
import { ascii, randomId, sessionEvents } from './sessionEvents.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Items per `POST /v1/outcomes` (the collector takes up to 1,000). */
const OUTCOME_BATCH = 1000;

/** One batch as `POST /v1/batch` takes it (DESIGN.md §2). */
export interface PlannedBatch {
  sentAt: number;
  events: TrackedEvent[];
}

/** One simulated visitor: their batches in time order, and what sales does afterwards. */
export interface PlannedVisitor {
  persona: Persona;
  name?: string;
  email?: string;
  anonymousIds: string[];
  batches: PlannedBatch[];
  /** Moves sales makes once the traffic is in (`POST /v1/leads/:id/stage`, dated now). */
  sales: SalesAction[];
  /** Outcomes a CRM reports, dated in the past (`POST /v1/outcomes`). */
  outcomes?: DatedOutcome[];
}

/** Options of `planTraffic`. */
export interface PlanOptions {
  /** The simulated "now": every event happens before it. */
  now: number;
  /** The site's origin, for event URLs. */
  origin: string;
  /** Same seed, same traffic. */
  seed?: number;
  /** How many visitors of each persona (default 1). */
  rounds?: number;
  /** Only these persona ids (default: all). */
  personas?: string[];
  /** How many prospects at companies to add, with outcomes that depend on what they did (default 0). */
  crowd?: number;
}

/**
 * Plans believable traffic: each persona's sessions as events with realistic times spread over days, then
 * the crowd of prospects at companies, if asked for.
 */
export function planTraffic(options: PlanOptions): PlannedVisitor[] {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const personas = options.personas ? PERSONAS.filter((p) => options.personas?.includes(p.id)) : PERSONAS;
  const unknown = options.personas?.filter((id) => !PERSONAS.some((p) => p.id === id)) ?? [];
  if (unknown.length)
    throw new RangeError(
      `personas: unknown persona "${unknown[0]}" (known: ${PERSONAS.map((p) => p.id).join(', ')})`,
    );
  const visitors: PlannedVisitor[] = [];
  const taken = new Set<string>();
  for (let round = 0; round < (options.rounds ?? 1); round++) {
    for (const persona of personas) {
      const devices = 1 + Math.max(0, ...persona.sessions.map((s) => s.device ?? 0));
      const anonymousIds = Array.from({ length: devices }, () => randomId(random));
      const visitor: PlannedVisitor = { persona, anonymousIds, batches: [], sales: persona.sales ?? [] };
      let traits: Record<string, string | number> | undefined;
      if (persona.identity) {
        // Distinct names while the name lists last, so simulated people are not confused in the dashboard.
        let first = pick(FIRST_NAMES);
        let last = pick(LAST_NAMES);
        for (let tries = 0; tries < 50 && taken.has(`${first} ${last}`); tries++) {
          [first, last] = [pick(FIRST_NAMES), pick(LAST_NAMES)];
        }
        taken.add(`${first} ${last}`);
        const company = pick(persona.identity.companies);
        const domain = `${company.toLowerCase().replace(/[^a-z]+/g, '')}.example`;
        visitor.name = `${first} ${last}`;
        visitor.email = `${ascii(first)}.${ascii(last)}${round ? round + 1 : ''}@${domain}`;
        traits = {
          email: visitor.email,
          name: visitor.name,
          company,
          role: persona.identity.role,
          companySize: persona.identity.companySize,
          industry: persona.identity.industry,
        };
      }
      // Later rounds shift the whole journey a little so the dashboard's timelines do not all line up.
      const shift = round * (0.3 + random()) * DAY;
      for (const session of persona.sessions) {
        const start = Math.round(options.now - session.daysAgo * DAY - shift - random() * 3 * 60 * MINUTE);
        const anonymousId = anonymousIds[session.device ?? 0] as string;
        const events = sessionEvents(session.steps, {
          start,
          anonymousId,
          origin: options.origin,
          traits,
          random,
        });
        const last = events[events.length - 1];
        visitor.batches.push({ sentAt: (last?.ts ?? start) + 2000, events });
      }
      visitors.push(visitor);
    }
  }
  if (options.crowd) {
    const takenEmails = new Set(visitors.flatMap((v) => (v.email ? [v.email] : [])));
    visitors.push(
      ...planCrowd({ now: options.now, origin: options.origin, seed, people: options.crowd, takenEmails }),
    );
  }
  return visitors;
}

/** How the simulator reaches the collector: the CLI uses the secret key, the dashboard its session cookie. */
export interface TrafficTransport {
  /** Sends one batch (`POST /v1/batch` with the site key). */
  sendBatch(batch: PlannedBatch, userAgent: string): Promise<void>;
  /** The contact that owns an anonymous id (`GET /v1/visitors/:id`, secret API: browser answers never name it). */
  contactIdOf(anonymousId: string): Promise<string | null>;
  /** Moves a contact to a sales stage (`POST /v1/leads/:id/stage`). */
  setStage(contactId: string, action: SalesAction): Promise<void>;
  /** Records dated CRM outcomes (`POST /v1/outcomes`); answers the error of each refused item. */
  recordOutcomes(outcomes: DatedOutcome[]): Promise<OutcomeResult[]>;
}

/** The contact of a visitor: the one its identified device belongs to (after the merge of its devices). */
async function contactOf(visitor: PlannedVisitor, transport: TrafficTransport): Promise<string | null> {
  const identified = [...visitor.batches].reverse().find((b) => b.events.some((e) => e.type === 'identify'));
  const anonymousId = (identified ?? visitor.batches.at(-1))?.events[0]?.anonymousId;
  if (anonymousId === undefined) return null;
  try {
    return await transport.contactIdOf(anonymousId);
  } catch {
    return null;
  }
}

/** What a run did. */
export interface TrafficReport {
  visitors: number;
  events: number;
  batches: number;
  salesActions: number;
  /** CRM outcomes recorded. */
  outcomes: number;
  failures: string[];
}

/**
 * Replays planned visitors: every batch in global time order (as real browsers would have sent them), then
 * each visitor's sales actions in order. A failure is reported and the run carries on.
 */
export async function runTraffic(
  visitors: PlannedVisitor[],
  transport: TrafficTransport,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<TrafficReport> {
  const report: TrafficReport = {
    visitors: visitors.length,
    events: 0,
    batches: 0,
    salesActions: 0,
    outcomes: 0,
    failures: [],
  };
  const queue = visitors
    .flatMap((visitor) => visitor.batches.map((batch) => ({ visitor, batch })))
    .sort((a, b) => a.batch.sentAt - b.batch.sentAt);
  const total = queue.length + visitors.reduce((n, v) => n + v.sales.length, 0);
  let done = 0;
  for (const { visitor, batch } of queue) {
    try {
      await transport.sendBatch(batch, visitor.persona.userAgent);
      report.batches++;
      report.events += batch.events.length;
    } catch (error) {
      report.failures.push(
        `${visitor.persona.id}: batch of ${batch.events.length} events: ${(error as Error).message}`,
      );
    }
    onProgress(++done, total);
  }
  for (const visitor of visitors) {
    const contactId = visitor.sales.length > 0 ? await contactOf(visitor, transport) : null;
    for (const action of visitor.sales) {
      if (!contactId) {
        report.failures.push(`${visitor.persona.id}: no contact id for the "${action.stage}" action`);
      } else {
        try {
          await transport.setStage(contactId, action);
          report.salesActions++;
        } catch (error) {
          report.failures.push(`${visitor.persona.id}: ${action.stage}: ${(error as Error).message}`);
        }
      }
      onProgress(++done, total);
    }
  }
  // CRM outcomes in date order (each contact's stages in turn), as many per request as the API takes.
  const outcomes = visitors.flatMap((v) => v.outcomes ?? []).sort((a, b) => a.at - b.at);
  for (let start = 0; start < outcomes.length; start += OUTCOME_BATCH) {
    const chunk = outcomes.slice(start, start + OUTCOME_BATCH);
    try {
      const results = await transport.recordOutcomes(chunk);
      const refused = results.filter((r) => r.error !== undefined);
      report.outcomes += chunk.length - refused.length;
      for (const r of refused) report.failures.push(`outcome ${chunk[r.index]?.email}: ${r.error}`);
    } catch (error) {
      report.failures.push(`${chunk.length} outcomes: ${(error as Error).message}`);
    }
  }
  return report;
}
