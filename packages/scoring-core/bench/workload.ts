// A realistic scoring workload: a 20-rule model with decay and fit, and contacts with 100 events each.
import type { ScoringModel, TrackedEvent } from '../src/index.js';
import { validateModel } from '../src/index.js';

const T0 = Date.UTC(2026, 0, 1);
const PAGES = [
  '/',
  '/pricing',
  '/pricing/enterprise',
  '/product',
  '/blog/scoring-101',
  '/kb/setup',
  '/careers',
  '/case-studies/acme',
  '/docs/api',
  '/about',
];

/** The benchmark model: 20 engagement rules over every match kind, decay, fit and thresholds. */
export function benchModel(): ScoringModel {
  const result = validateModel({
    version: 'bench',
    halfLifeDays: 30,
    rules: [
      { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
      { id: 'product', event: 'page_view', match: { path: '/product*' }, points: 3, max: 5 },
      { id: 'blog', event: 'page_view', match: { path: '/blog/*' }, points: 1 },
      { id: 'kb', event: 'page_view', match: { path: ['/kb/*', '/docs/*'] }, points: 5, max: 4 },
      { id: 'case-study', event: 'page_view', match: { path: '/case-studies/*' }, points: 4 },
      { id: 'careers', event: 'page_view', match: { path: '/careers*' }, points: -10, max: 1 },
      { id: 'paid-ad', event: 'page_view', match: { utm_medium: ['cpc', 'ppc', 'paid'] }, points: 5, max: 1 },
      { id: 'newsletter-visit', event: 'page_view', match: { utm_source: 'newsletter' }, points: 2, max: 2 },
      {
        id: 'social',
        event: 'page_view',
        match: { referrer: ['*linkedin.com*', '*twitter.com*'] },
        points: 2,
        max: 2,
      },
      { id: 'search', event: 'page_view', match: { referrer: '*google.*' }, points: 1, max: 3 },
      { id: 'whitepaper', event: 'download', match: { ext: ['pdf'] }, points: 5 },
      { id: 'price-sheet', event: 'download', match: { file: 'price-sheet.xlsx' }, points: 8, max: 1 },
      {
        id: 'demo-cta',
        event: 'cta_click',
        match: { cta: ['book-demo', 'talk-to-sales'] },
        points: 15,
        max: 2,
      },
      { id: 'trial-cta', event: 'cta_click', match: { cta: 'start-trial' }, points: 8 },
      { id: 'any-cta', event: 'cta_click', points: 1, max: 10 },
      { id: 'demo-form', event: 'form_submit', match: { form: 'demo-request' }, points: 20, max: 1 },
      { id: 'gated', event: 'form_submit', match: { form: 'whitepaper' }, points: 10, max: 1 },
      { id: 'abandon', event: 'form_abandon', points: -2, max: 3 },
      { id: 'exit', event: 'exit_intent', points: -1, max: 5 },
      {
        id: 'enterprise-plan',
        event: ['cta_click', 'form_submit'],
        match: { props: { plan: 'enterprise' } },
        points: 6,
      },
    ],
    fit: [
      { id: 'big-company', trait: 'companySize', gte: 200, points: 15 },
      { id: 'buyer-role', trait: 'role', in: ['vp', 'director', 'head', 'cxo'], points: 10 },
      { id: 'intern', trait: 'role', in: ['intern', 'student'], points: -20 },
      { id: 'target-industry', trait: 'industry', in: ['software', 'fintech'], points: 5 },
    ],
    mql: { total: 50, fit: 10 },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.model;
}

/** A small deterministic PRNG (mulberry32) so every run scores the same events. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The same events with random timestamps over 90 days (ids follow their time), listed in the order they
 * were made: arbitrary arrival order, as a queue replaying offline batches delivers them.
 */
export function benchContactsRandomOrder(contacts: number, perContact: number, seed = 2): TrackedEvent[][] {
  const rnd = random(seed);
  return benchContacts(contacts, perContact, seed).map((events, c) =>
    events.map((event, i) => {
      const ts = T0 + Math.floor(rnd() * 90 * 86_400_000);
      return { ...event, ts, id: `${ts.toString(16)}-${c}-${i}` };
    }),
  );
}

/** `contacts` contacts × `perContact` events each, every contact's events in canonical order. */
export function benchContacts(contacts: number, perContact: number, seed = 1): TrackedEvent[][] {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const out: TrackedEvent[][] = [];
  for (let c = 0; c < contacts; c++) {
    const anonymousId = `anon-${c}`;
    let ts = T0 + Math.floor(rnd() * 30 * 86_400_000);
    const events: TrackedEvent[] = [];
    for (let i = 0; i < perContact; i++) {
      ts += Math.floor(rnd() * 6 * 3_600_000);
      const id = `${ts.toString(16)}-${c}-${i}`;
      const r = rnd();
      const path = pick(PAGES);
      let e: TrackedEvent;
      if (r < 0.6) {
        const props: Record<string, unknown> = {};
        if (rnd() < 0.1) props.utm_medium = pick(['cpc', 'email', 'social']);
        if (rnd() < 0.05) props.utm_source = 'newsletter';
        e = {
          id,
          ts,
          anonymousId,
          type: 'page_view',
          path,
          url: `https://acme.example${path}`,
          referrer:
            rnd() < 0.2
              ? pick(['https://www.google.com/', 'https://www.linkedin.com/feed', 'https://news.example/'])
              : '',
          props,
        };
      } else if (r < 0.7) {
        e = {
          id,
          ts,
          anonymousId,
          type: 'download',
          path,
          props: {
            ext: pick(['pdf', 'zip', 'xlsx']),
            file: pick(['guide.pdf', 'price-sheet.xlsx', 'kit.zip']),
          },
        };
      } else if (r < 0.82) {
        e = {
          id,
          ts,
          anonymousId,
          type: 'cta_click',
          path,
          props: {
            cta: pick(['book-demo', 'start-trial', 'newsletter', 'talk-to-sales']),
            plan: pick(['pro', 'enterprise']),
          },
        };
      } else if (r < 0.9) {
        e = {
          id,
          ts,
          anonymousId,
          type: pick(['form_start', 'form_submit', 'form_abandon']),
          path,
          props: { form: pick(['demo-request', 'whitepaper', 'newsletter']), fields: ['email', 'company'] },
        };
      } else if (r < 0.97) {
        e = { id, ts, anonymousId, type: 'exit_intent', path };
      } else {
        e = {
          id,
          ts,
          anonymousId,
          type: 'identify',
          traits: {
            email: `c${c}@example.com`,
            role: pick(['vp', 'engineer', 'intern', 'director']),
            companySize: Math.floor(rnd() * 2000),
            industry: pick(['software', 'retail', 'fintech']),
          },
        };
      }
      events.push(e);
    }
    out.push(events);
  }
  return out;
}
