import { createHmac } from 'node:crypto';

/** The example's site in the collector config (DESIGN.md §6); keys are examples, never use them live. */
export const EXAMPLE_SITE = {
  siteKey: 'pk_react_example',
  secretKey: 'sk_react_example_change_me_7d2a',
  identitySecret: 'idk_react_example_change_me_91c4',
  model: {
    version: 'react-example-1',
    rules: [
      { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
      { id: 'features', event: 'page_view', match: { path: '/features*' }, points: 5, max: 2 },
    ],
    fit: [],
    mql: { total: 40 },
  },
};

/** The collector config for a site served from `origin`: `bots: "score"` lets headless test browsers count. */
export function exampleConfig(origin: string, bots: 'ignore' | 'score' = 'ignore') {
  return { sites: [{ ...EXAMPLE_SITE, origins: [origin], bots }] };
}

/** The identity token a site's backend computes for the user it signed in: HMAC-SHA256 of the normalized email. */
export function identityToken(secret: string, email: string): string {
  return createHmac('sha256', secret).update(email.trim().toLowerCase()).digest('hex');
}
