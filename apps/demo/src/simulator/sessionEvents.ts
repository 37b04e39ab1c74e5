// Turns a planned visit (pages, clicks, downloads, forms) into the wire events a browser would send.
import type { TrackedEvent } from '@leadlight/scoring-core';
import type { Step } from './personas.js';
import { uuidv7 } from './uuidv7.js';

const MINUTE = 60_000;

/** Page titles, as the SDK would read them from `document.title`. */
const TITLES: Record<string, string> = {
  '/': 'Stackhaus — cloud cost management for engineering teams',
  '/product/': 'Product — Stackhaus',
  '/pricing/': 'Pricing — Stackhaus',
  '/blog/': 'Blog — Stackhaus',
  '/case-studies/': 'Customers — Stackhaus',
  '/kb/': 'Knowledge base — Stackhaus',
  '/careers/': 'Careers — Stackhaus',
  '/whitepaper/': "The 2026 Cloud Cost Buyer's Guide — Stackhaus",
  '/whitepaper/thank-you/': 'Your guide is ready — Stackhaus',
  '/demo/': 'Request a demo — Stackhaus',
  '/demo/thank-you/': "Thanks — we'll be in touch — Stackhaus",
};

/** The events of one session as a browser would send them, with a few seconds to minutes between steps. */
export function sessionEvents(
  steps: Step[],
  ctx: {
    start: number;
    anonymousId: string;
    origin: string;
    traits: Record<string, unknown> | undefined;
    random: () => number;
  },
): TrackedEvent[] {
  const sessionId = randomId(ctx.random);
  const events: TrackedEvent[] = [];
  let ts = ctx.start;
  let page = { url: '', path: '/', title: '', referrer: '' };
  const push = (type: string, extra: Partial<TrackedEvent>) => {
    events.push({
      id: uuidv7(ts, ctx.random),
      type,
      ts,
      anonymousId: ctx.anonymousId,
      sessionId,
      ...page,
      ...extra,
    });
    ts += Math.round((5 + ctx.random() * 25) * 1000);
  };
  for (const step of steps) {
    if ('page' in step) {
      ts += events.length ? Math.round((0.4 + ctx.random() * 3) * MINUTE) : 0;
      const url = new URL(step.page, ctx.origin);
      const props: Record<string, string> = {};
      for (const [key, value] of url.searchParams) if (key.startsWith('utm_')) props[key] = value;
      page = {
        url: url.href,
        path: url.pathname,
        title: TITLES[url.pathname] ?? 'Stackhaus',
        referrer: step.referrer ?? page.url,
      };
      push('page_view', Object.keys(props).length ? { props } : {});
    } else if ('cta' in step) {
      push('cta_click', { props: { cta: step.cta } });
    } else if ('download' in step) {
      const file = step.download.split('/').pop() ?? step.download;
      push('download', {
        props: { href: new URL(step.download, ctx.origin).href, file, ext: file.split('.').pop() ?? '' },
      });
    } else if ('form' in step) {
      const fields = ['email', 'name', 'company', 'companySize', 'role'];
      push('form_start', { props: { form: step.form } });
      ts += Math.round((0.5 + ctx.random()) * MINUTE);
      if (step.abandon) {
        push('form_abandon', { props: { form: step.form, fields: fields.slice(0, 2) } });
      } else {
        push('form_submit', { props: { form: step.form, fields } });
        if (step.traits && ctx.traits) push('identify', { traits: ctx.traits });
      }
    } else {
      push('exit_intent', {});
    }
  }
  return events;
}

/** A random anonymous or session id from the seeded source. */
export function randomId(random: () => number): string {
  return Array.from(
    { length: 22 },
    () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)],
  ).join('');
}

/** A name as the ASCII letters of an email address ("Tomás" → "tomas"). */
export function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}
