// A crowd of prospects at made-up companies (buying committees of 2–5 people sharing a work-email domain,
// plus some free-mail people): each browses as their interest and role suggest, identifies through a form,
// and sales records what became of them, dated in the past, with chances that depend on what they did.
import { FIRST_NAMES, LAST_NAMES, type Persona, type Step, UA } from './personas.js';
import { seededRandom } from './random.js';
import { drawOutcomes, type Prospect } from './salesOutcomes.js';
import { ascii, randomId, sessionEvents } from './sessionEvents.js';
import type { PlannedVisitor } from './traffic.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GUIDE = '/assets/stackhaus-buyers-guide-2026.pdf';

/** The persona every crowd member is planned under (the CLI's `--crowd`). */
export const CROWD_PERSONA: Persona = {
  id: 'crowd',
  label: 'Prospects at target companies, several per company',
  story:
    'Buying committees of 2–5 people per company, plus free-mail people: they browse as their interest suggests, and sales turns some into SQLs, opportunities and customers.',
  userAgent: UA.mac,
  sessions: [],
};

const NAME_STEMS = [
  'Acme',
  'Birchline',
  'Cobalt',
  'Deltaforge',
  'Ember',
  'Fjordway',
  'Granite',
  'Harborview',
  'Indigo',
  'Juniper',
  'Keystone',
  'Lumen',
  'Meridian',
  'Northstar',
  'Onyx',
  'Pioneer',
  'Quartz',
  'Redwood',
  'Summit',
  'Tidal',
  'Vantage',
  'Willow',
  'Zenith',
  'Alder',
];
/** A company-name suffix and the industry it implies. */
const KINDS: [string, string][] = [
  ['Robotics', 'Manufacturing'],
  ['Logistics', 'Logistics'],
  ['Health', 'Healthcare'],
  ['Analytics', 'Software'],
  ['Foods', 'Food and beverage'],
  ['Bank', 'Financial services'],
  ['Media', 'Media'],
  ['Labs', 'Software'],
  ['Energy', 'Energy'],
  ['Retail', 'Retail'],
  ['Insurance', 'Financial services'],
];
const SIZES = [6, 9, 25, 40, 80, 150, 320, 650, 1_200, 3_500, 8_000];
const FREE_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me'];
/** Roles with their weight; small companies have more founders. */
const ROLES: [string, number][] = [
  ['vp', 8],
  ['director', 12],
  ['head', 10],
  ['cxo', 5],
  ['manager', 20],
  ['engineer', 25],
  ['analyst', 12],
  ['intern', 5],
  ['student', 3],
];

/** A first touch: the landing page, its referrer, and whether it was a paid ad. */
const CHANNELS: { page: string; referrer?: string; paid: boolean; weight: number }[] = [
  {
    page: '/product/?utm_source=google&utm_medium=cpc&utm_campaign=cloud-costs-2026',
    paid: true,
    weight: 20,
  },
  { page: '/?utm_source=google&utm_medium=cpc&utm_campaign=brand', paid: true, weight: 8 },
  {
    page: '/blog/kubernetes-cost-allocation/?utm_source=linkedin&utm_medium=paid&utm_campaign=abm-q4',
    paid: true,
    weight: 12,
  },
  { page: '/blog/finops-for-startups/', referrer: 'https://www.google.com/', paid: false, weight: 22 },
  { page: '/case-studies/', referrer: 'https://www.linkedin.com/feed/', paid: false, weight: 10 },
  {
    page: '/blog/kubernetes-cost-allocation/?utm_source=newsletter&utm_medium=email&utm_campaign=nov-digest',
    paid: false,
    weight: 12,
  },
  { page: '/', paid: false, weight: 16 },
];
const KB_PAGES = ['/kb/', '/kb/connect-aws-account/', '/kb/budgets-and-alerts/'];
const CASE_STUDIES = ['/case-studies/northwind-logistics/', '/case-studies/brightpath-health/'];
const BLOG = ['/blog/', '/blog/finops-for-startups/', '/blog/kubernetes-cost-allocation/'];

interface Company {
  name: string;
  domain: string;
  size: number;
  industry: string;
  /** How much the company is in the market now (0–1); its people share part of it. */
  interest: number;
}

/** Options of `planCrowd`. */
export interface CrowdOptions {
  now: number;
  origin: string;
  seed: number;
  /** How many people (at least). */
  people: number;
  /** Emails already used by other simulated people. */
  takenEmails?: Set<string>;
}

/** Plans `people` prospects at companies, their browsing and what sales records of them. */
export function planCrowd(options: CrowdOptions): PlannedVisitor[] {
  // A stream of its own: adding a crowd leaves the personas' traffic for a seed unchanged.
  const random = seededRandom((options.seed ^ 0x5eed) >>> 0);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const count = (n: number, p: number) => Array.from({ length: n }).filter(() => random() < p).length;
  const taken = options.takenEmails ?? new Set<string>();
  const companyNames = new Set<string>();
  const visitors: PlannedVisitor[] = [];

  const newCompany = (): Company => {
    let name = '';
    let industry = '';
    for (let tries = 0; tries < 100 && (name === '' || companyNames.has(name)); tries++) {
      const [suffix, kind] = pick(KINDS);
      name = `${pick(NAME_STEMS)} ${suffix}`;
      industry = kind;
    }
    companyNames.add(name);
    const domain = `${name.toLowerCase().replace(/[^a-z]+/g, '-')}.example`;
    return { name, domain, size: pick(SIZES), industry, interest: random() };
  };
  const freelancer = (last: string): Company => ({
    name: `${last} Consulting`,
    domain: pick(FREE_MAIL),
    size: 1 + Math.floor(random() * 4),
    industry: 'Consulting',
    interest: random(),
  });

  while (visitors.length < options.people) {
    const freeMail = random() < 0.3;
    const company = freeMail ? undefined : newCompany();
    const members = freeMail ? 1 : 2 + Math.floor(random() * 4);
    for (let m = 0; m < members; m++) {
      const first = pick(FIRST_NAMES);
      const last = pick(LAST_NAMES);
      const at = company ?? freelancer(last);
      let email = `${ascii(first)}.${ascii(last)}@${at.domain}`;
      for (let n = 2; taken.has(email); n++) email = `${ascii(first)}.${ascii(last)}${n}@${at.domain}`;
      taken.add(email);
      const role = pickWeighted(random, ROLES, ([r, w]) => (r === 'cxo' && at.size <= 50 ? w * 5 : w))[0];
      visitors.push(planProspect({ first, last, email, role, company: at }, options, random, pick, count));
    }
  }
  return visitors;
}

/** One prospect: what they do, on which days, and what sales records of them. */
function planProspect(
  who: { first: string; last: string; email: string; role: string; company: Company },
  options: CrowdOptions,
  random: () => number,
  pick: <T>(list: readonly T[]) => T,
  count: (n: number, p: number) => number,
): PlannedVisitor {
  const { company, role } = who;
  // Interest is partly the company's (a buying committee moves together) and partly the person's.
  const interest = 0.6 * company.interest + 0.4 * random();
  const channel = pickWeighted(random, CHANNELS, (c) => c.weight);
  const learner = role === 'engineer' || role === 'intern' || role === 'student';
  const prospect: Prospect = {
    pricingViews: count(3, 0.1 + 0.6 * interest),
    caseStudies: count(3, 0.1 + 0.45 * interest),
    // Everyone reads the knowledge base alike, buyers or not: the rule that predicts nothing.
    knowledgeBase: count(3, 0.35),
    downloadedGuide: random() < 0.55 + 0.25 * interest,
    requestedDemo: random() < 0.04 + 0.5 * interest ** 2,
    paidAd: channel.paid,
    visitedCareers: random() < (learner ? 0.25 : 0.04),
    role,
    companySize: company.size,
  };
  const traits = {
    email: who.email,
    name: `${who.first} ${who.last}`,
    company: company.name,
    companySize: company.size,
    industry: company.industry,
    role,
  };

  // The visits: the first touch, then each page of interest in one of up to four sessions.
  const sessions: Step[][] = Array.from({ length: 1 + Math.floor(random() * 4) }, () => []);
  const someSession = () => sessions[Math.floor(random() * sessions.length)] as Step[];
  sessions[0]?.push({ page: channel.page, ...(channel.referrer ? { referrer: channel.referrer } : {}) });
  for (let i = 0; i < 1 + Math.floor(random() * 2); i++) someSession().push({ page: pick(BLOG) });
  for (let i = 0; i < prospect.knowledgeBase; i++) someSession().push({ page: KB_PAGES[i] as string });
  for (let i = 0; i < prospect.caseStudies; i++)
    someSession().push({ page: i < CASE_STUDIES.length ? (CASE_STUDIES[i] as string) : '/case-studies/' });
  if (prospect.visitedCareers) someSession().push({ page: '/careers/' });
  // Pricing views in different sessions where there are several (one view per visit, as people do).
  for (let i = 0; i < prospect.pricingViews; i++)
    (sessions[i % sessions.length] as Step[]).push({ page: '/pricing/' });
  // Everyone identifies through the guide's form; some never click the download.
  someSession().push({ page: '/whitepaper/' }, { form: 'whitepaper', traits: true });
  if (prospect.downloadedGuide) someSession().push({ page: '/whitepaper/thank-you/' }, { download: GUIDE });
  if (prospect.requestedDemo)
    (sessions[sessions.length - 1] as Step[]).push(
      { page: '/demo/' },
      { form: 'demo-request', traits: true },
      { page: '/demo/thank-you/' },
    );

  const anonymousId = randomId(random);
  const visitor: PlannedVisitor = {
    persona: { ...CROWD_PERSONA, userAgent: pick(Object.values(UA)) },
    name: traits.name,
    email: who.email,
    anonymousIds: [anonymousId],
    batches: [],
    sales: [],
    outcomes: [],
  };
  // Ten to forty-six days ago, a few days between visits: the last one is a day old at least.
  let start = options.now - (10 + random() * 36) * DAY;
  for (const steps of sessions.filter((s) => s.length > 0)) {
    const events = sessionEvents(steps, {
      start: Math.round(start),
      anonymousId,
      origin: options.origin,
      traits,
      random,
    });
    const last = events.at(-1)?.ts ?? start;
    visitor.batches.push({ sentAt: last + 2000, events });
    start = last + (0.3 + random() * 2.7) * DAY;
  }
  const lastSeen = visitor.batches.at(-1)?.events.at(-1)?.ts ?? start;
  visitor.outcomes = drawOutcomes(prospect, who.email, lastSeen, options.now, random);
  return visitor;
}

/** One item of `list`, each as likely as its weight. */
function pickWeighted<T>(random: () => number, list: readonly T[], weight: (item: T) => number): T {
  let r = random() * list.reduce((sum, item) => sum + weight(item), 0);
  for (const item of list) {
    r -= weight(item);
    if (r < 0) return item;
  }
  return list[list.length - 1] as T;
}
