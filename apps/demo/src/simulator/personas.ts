import type { Stage } from '@leadlight/scoring-core';

/** One thing a simulated visitor does. */
export type Step =
  | { page: string; referrer?: string }
  | { cta: string }
  | { download: string }
  | { form: string; traits?: true; abandon?: boolean }
  | { exit: true };

/** One visit: when it happened, from which device, and what the visitor did. */
export interface PersonaSession {
  /** Days before now the session started (fractions allowed). */
  daysAgo: number;
  /** Index of the device (anonymous id) used; a second device merges into the contact on identify. */
  device?: number;
  steps: Step[];
}

/** A sales action the simulator takes on the persona's contact once its traffic is in. */
export interface SalesAction {
  stage: Extract<Stage, 'sql' | 'opportunity' | 'customer' | 'lead'>;
  revenue?: number;
  reason: string;
}

/** A believable visitor type: who they are, how they browse, and what sales does with them. */
export interface Persona {
  id: string;
  label: string;
  /** What the persona shows in the dashboard. */
  story: string;
  userAgent: string;
  /** Role, company size and industry given when a form is submitted; undefined: the persona never identifies. */
  identity?: { role: string; companySize: number; industry: string; companies: string[] };
  sessions: PersonaSession[];
  sales?: SalesAction[];
}

/** Browser user agents the simulated people send (so `bots: "ignore"` scores them). */
export const UA = {
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  windows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  linux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
};

const GUIDE = '/assets/stackhaus-buyers-guide-2026.pdf';

/** The personas the simulator replays (README.md lists them with their expected outcome). */
export const PERSONAS: Persona[] = [
  {
    id: 'vp-paid-ad',
    label: 'VP from a large company, arriving from a paid ad',
    story:
      'Clicks a Google ad, compares pricing, gets the guide, comes back and requests a demo: MQL, then a customer.',
    userAgent: UA.mac,
    identity: {
      role: 'vp',
      companySize: 4000,
      industry: 'Financial services',
      companies: ['Kestrel Bank', 'Halvard Insurance', 'Oakmont Retail'],
    },
    sessions: [
      {
        daysAgo: 9,
        steps: [
          {
            page: '/pricing/?utm_source=google&utm_medium=cpc&utm_campaign=cloud-costs-2026',
            referrer: 'https://www.google.com/',
          },
          { page: '/product/' },
          { page: '/case-studies/northwind-logistics/' },
          { cta: 'home-guide' },
          { page: '/whitepaper/' },
          { form: 'whitepaper', traits: true },
          { page: '/whitepaper/thank-you/' },
          { download: GUIDE },
        ],
      },
      {
        daysAgo: 7,
        steps: [
          { page: '/pricing/' },
          { page: '/demo/' },
          { form: 'demo-request', traits: true },
          { page: '/demo/thank-you/' },
        ],
      },
    ],
    sales: [
      { stage: 'sql', reason: 'Discovery call booked' },
      { stage: 'opportunity', reason: 'Security review started' },
      { stage: 'customer', revenue: 86_400, reason: 'Signed: Enterprise, annual' },
    ],
  },
  {
    id: 'director-linkedin',
    label: 'Director at a mid-size company, from LinkedIn',
    story:
      'Reads two case studies from a LinkedIn post, checks pricing twice, asks for a demo: MQL, SQL, opportunity.',
    userAgent: UA.windows,
    identity: {
      role: 'director',
      companySize: 600,
      industry: 'Logistics',
      companies: ['Orbitly', 'Fablefy', 'Quayside Freight'],
    },
    sessions: [
      {
        daysAgo: 6,
        steps: [
          { page: '/case-studies/brightpath-health/', referrer: 'https://www.linkedin.com/feed/' },
          { page: '/case-studies/northwind-logistics/' },
          { page: '/pricing/' },
          { exit: true },
        ],
      },
      {
        daysAgo: 4,
        steps: [
          { page: '/pricing/' },
          { cta: 'pricing-team' },
          { page: '/demo/' },
          { form: 'demo-request', traits: true },
        ],
      },
    ],
    sales: [
      { stage: 'sql', reason: 'Budget confirmed' },
      { stage: 'opportunity', reason: 'Proposal sent' },
    ],
  },
  {
    id: 'head-finops-newsletter',
    label: 'Head of FinOps, from the newsletter',
    story:
      'Opens the newsletter, reads the knowledge base, downloads the guide: MQL within a day, then a customer.',
    userAgent: UA.mac,
    identity: {
      role: 'head',
      companySize: 1200,
      industry: 'Media',
      companies: ['Larchwood Media', 'Pinecrest Labs'],
    },
    sessions: [
      {
        daysAgo: 5,
        steps: [
          {
            page: '/blog/kubernetes-cost-allocation/?utm_source=newsletter&utm_medium=email&utm_campaign=nov-digest',
          },
          { page: '/kb/' },
          { page: '/kb/connect-aws-account/' },
          { page: '/whitepaper/' },
          { form: 'whitepaper', traits: true },
          { download: GUIDE },
        ],
      },
      { daysAgo: 4.5, steps: [{ page: '/pricing/' }, { page: '/kb/budgets-and-alerts/' }] },
    ],
    sales: [
      { stage: 'sql', reason: 'Inbound call' },
      { stage: 'customer', revenue: 14_400, reason: 'Signed: Team, monthly' },
    ],
  },
  {
    id: 'returning-reader',
    label: 'Returning reader on two devices',
    story:
      'Finds the blog from search, returns over a week on phone and laptop, identifies on the laptop: both devices merge into one lead.',
    userAgent: UA.iphone,
    identity: {
      role: 'manager',
      companySize: 600,
      industry: 'Software',
      companies: ['Trellis Analytics', 'Bramble Foods'],
    },
    sessions: [
      {
        daysAgo: 8,
        device: 1,
        steps: [
          { page: '/blog/finops-for-startups/', referrer: 'https://www.google.com/' },
          { page: '/blog/' },
        ],
      },
      {
        daysAgo: 6,
        device: 1,
        steps: [{ page: '/blog/kubernetes-cost-allocation/', referrer: 'https://www.google.com/' }],
      },
      {
        daysAgo: 3,
        steps: [
          { page: '/kb/connect-aws-account/', referrer: 'https://www.bing.com/' },
          { page: '/kb/budgets-and-alerts/' },
        ],
      },
      {
        daysAgo: 1,
        steps: [
          { page: '/kb/' },
          { page: '/case-studies/northwind-logistics/' },
          { page: '/case-studies/brightpath-health/' },
          { page: '/whitepaper/' },
          { form: 'whitepaper', traits: true },
          { download: GUIDE },
          { page: '/pricing/' },
        ],
      },
      // Back on the phone, the reader asks for the guide again: the identify merges both devices.
      {
        daysAgo: 0.6,
        device: 1,
        steps: [{ page: '/whitepaper/' }, { form: 'whitepaper', traits: true }, { download: GUIDE }],
      },
    ],
    sales: [
      { stage: 'sql', reason: 'Replied to outreach' },
      { stage: 'lead', reason: 'Recycled: no budget until Q3' },
    ],
  },
  {
    id: 'startup-founder',
    label: 'Founder of a five-person startup',
    story:
      'Highly engaged but a poor fit (company of 5): a high total that stays below the fit threshold, so no MQL.',
    userAgent: UA.linux,
    identity: { role: 'cxo', companySize: 5, industry: 'Software', companies: ['Tinyloop', 'Parcelpup'] },
    sessions: [
      {
        daysAgo: 3,
        steps: [
          { page: '/', referrer: 'https://news.ycombinator.com/' },
          { page: '/pricing/' },
          { page: '/kb/connect-aws-account/' },
          { page: '/whitepaper/' },
          { form: 'whitepaper', traits: true },
          { download: GUIDE },
          { page: '/pricing/' },
        ],
      },
      {
        daysAgo: 2,
        steps: [{ page: '/pricing/' }, { page: '/demo/' }, { form: 'demo-request', traits: true }],
      },
    ],
  },
  {
    id: 'intern',
    label: 'Intern doing research',
    story:
      'Reads the blog and downloads the guide for a class project: identified, but fit −20 keeps them a lead.',
    userAgent: UA.windows,
    identity: {
      role: 'intern',
      companySize: 30,
      industry: 'Education',
      companies: ['Riverside University', 'Northgate College'],
    },
    sessions: [
      {
        daysAgo: 2,
        steps: [
          { page: '/blog/', referrer: 'https://www.google.com/' },
          { page: '/blog/finops-for-startups/' },
          { page: '/whitepaper/' },
          { form: 'whitepaper', traits: true },
          { download: GUIDE },
        ],
      },
    ],
  },
  {
    id: 'job-seeker',
    label: 'Job seeker',
    story:
      'Goes straight to careers from a job board and reads about the company: negative engagement, stays anonymous.',
    userAgent: UA.mac,
    sessions: [
      {
        daysAgo: 2,
        steps: [
          { page: '/careers/', referrer: 'https://www.linkedin.com/jobs/' },
          { cta: 'job-backend' },
          { page: '/product/' },
        ],
      },
      { daysAgo: 1, steps: [{ page: '/careers/' }, { page: '/case-studies/' }] },
    ],
  },
  {
    id: 'bouncer',
    label: 'Social visitor who bounces',
    story:
      'Lands on the home page from a tweet, glances at pricing, abandons the demo form: an anonymous visitor.',
    userAgent: UA.iphone,
    sessions: [
      {
        daysAgo: 0.5,
        steps: [
          { page: '/', referrer: 'https://t.co/' },
          { page: '/pricing/' },
          { page: '/demo/' },
          { form: 'demo-request', abandon: true },
        ],
      },
    ],
  },
];

/** First and last names the simulator combines into contacts. */
export const FIRST_NAMES = [
  'Dana',
  'Priya',
  'Marcus',
  'Elena',
  'Tomás',
  'Aisha',
  'Jonas',
  'Mei',
  'Kwame',
  'Sofia',
  'Liam',
  'Noor',
  'Hana',
  'Mateo',
  'Ingrid',
  'Ravi',
  'Chloé',
  'Omar',
  'Yuki',
  'Grace',
  'Emeka',
  'Lucía',
  'Felix',
  'Amara',
  'Nikolai',
  'Zara',
  'Diego',
  'Freya',
  'Samir',
  'Ana',
];
export const LAST_NAMES = [
  'Whitfield',
  'Raman',
  'Okafor',
  'Novak',
  'Alvarez',
  'Haddad',
  'Lindqvist',
  'Chen',
  'Mensah',
  'Rossi',
  'Kowalski',
  'Tanaka',
  'Brennan',
  'Eriksen',
  'Moreau',
  'Adeyemi',
  'Castillo',
  'Nguyen',
  'Schmidt',
  'Patel',
  'Ferreira',
  'Oyelaran',
  'Dubois',
  'Larsen',
  'Kim',
  'Vasquez',
  'Hughes',
  'Bianchi',
  'Sato',
  'Murphy',
];
