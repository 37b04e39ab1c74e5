// The simulated sales team's hidden truth: who becomes an SQL, an opportunity and a customer depends on what
// they did before and who they are, with weights that differ on purpose from the demo model's points, so
// the model review has something true to find.

/** An outcome as a CRM reports it (`POST /v1/outcomes`), dated when sales recorded it. */
export interface DatedOutcome {
  email: string;
  stage: 'sql' | 'opportunity' | 'customer';
  at: number;
  revenue?: number;
  reason: string;
}

/** What a simulated prospect did before sales met them, and who they are. */
export interface Prospect {
  /** Pricing page views (the model counts up to 3). */
  pricingViews: number;
  caseStudies: number;
  knowledgeBase: number;
  downloadedGuide: boolean;
  requestedDemo: boolean;
  /** First touch from a paid ad. */
  paidAd: boolean;
  visitedCareers: boolean;
  role: string;
  companySize: number;
}

/**
 * Log-odds of becoming an SQL. On the demo model's scale (a demo request's 20 points ≈ 2.3), a company of
 * 200+ is worth about 2 points, not 15; a pricing view about 5, not 10; a buyer role and an intern about what
 * the model gives; a paid-ad arrival and the knowledge base (5 points a read) nothing at all.
 */
export const SQL_TRUTH = {
  intercept: -3.1,
  requestedDemo: 2.3,
  pricingView: 0.55,
  caseStudy: 0.45,
  knowledgeBase: 0,
  downloadedGuide: 0.3,
  paidAd: 0,
  visitedCareers: -1.5,
  bigCompany: 0.2,
  tinyCompany: -0.7,
  buyerRole: 1.1,
  manager: 0.35,
  internOrStudent: -2.5,
};

const BUYER_ROLES = new Set(['vp', 'director', 'head', 'cxo']);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The chance that a prospect becomes an SQL. */
export function sqlChance(p: Prospect): number {
  const t = SQL_TRUTH;
  const z =
    t.intercept +
    (p.requestedDemo ? t.requestedDemo : 0) +
    Math.min(p.pricingViews, 3) * t.pricingView +
    Math.min(p.caseStudies, 3) * t.caseStudy +
    Math.min(p.knowledgeBase, 3) * t.knowledgeBase +
    (p.downloadedGuide ? t.downloadedGuide : 0) +
    (p.paidAd ? t.paidAd : 0) +
    (p.visitedCareers ? t.visitedCareers : 0) +
    (p.companySize >= 200 ? t.bigCompany : 0) +
    (p.companySize <= 10 ? t.tinyCompany : 0) +
    (BUYER_ROLES.has(p.role) ? t.buyerRole : 0) +
    (p.role === 'manager' ? t.manager : 0) +
    (p.role === 'intern' || p.role === 'student' ? t.internOrStudent : 0);
  return sigmoid(z);
}

/** A yearly contract sized by the company, give or take a fifth. */
function contractValue(companySize: number, random: () => number): number {
  const base =
    companySize <= 50 ? 4_800 : companySize <= 500 ? 14_400 : companySize <= 2_000 ? 38_400 : 86_400;
  return Math.round((base * (0.8 + 0.4 * random())) / 100) * 100;
}

/**
 * Draws what sales records for a prospect whose last visit was at `lastSeen`: an SQL some hours to days
 * later, then perhaps an opportunity and a customer with revenue. Stages that would fall after `now` have
 * not happened yet.
 */
export function drawOutcomes(
  prospect: Prospect,
  email: string,
  lastSeen: number,
  now: number,
  random: () => number,
): DatedOutcome[] {
  if (random() >= sqlChance(prospect)) return [];
  const outcomes: DatedOutcome[] = [];
  const latest = now - HOUR;
  let at = lastSeen + (6 * HOUR + random() * 3 * DAY);
  if (at > latest) return outcomes;
  outcomes.push({ email, stage: 'sql', at: Math.round(at), reason: 'Discovery call held' });
  const big = prospect.companySize >= 200;
  const buyer = BUYER_ROLES.has(prospect.role);
  if (random() >= sigmoid(-0.6 + (big ? 0.8 : 0) + (buyer ? 0.7 : 0) + (prospect.requestedDemo ? 0.5 : 0)))
    return outcomes;
  at += 2 * DAY + random() * 8 * DAY;
  if (at > latest) return outcomes;
  const value = contractValue(prospect.companySize, random);
  outcomes.push({ email, stage: 'opportunity', at: Math.round(at), revenue: value, reason: 'Proposal sent' });
  if (random() >= sigmoid(0.2 + (prospect.pricingViews >= 2 ? 0.5 : 0) - (big ? 0.3 : 0))) return outcomes;
  at += 3 * DAY + random() * 12 * DAY;
  if (at > latest) return outcomes;
  outcomes.push({
    email,
    stage: 'customer',
    at: Math.round(at),
    revenue: value,
    reason: 'Signed: annual plan',
  });
  return outcomes;
}
