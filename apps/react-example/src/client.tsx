import { LeadlightProvider } from '@leadlight/react';
import { init } from '@leadlight/sdk';
import { StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { PricingApp } from './PricingApp.js';
import type { PageData } from './pageData.js';

const data = JSON.parse(document.getElementById('page-data')?.textContent ?? 'null') as PageData;
// One SDK for the page, made here so the sign-in can reach it; the provider follows its score.
const leadlight = init({ siteKey: data.siteKey, endpoint: data.endpoint });

/** Signs in through the site's backend, which answers with the identity token for that user. */
async function signIn(email: string): Promise<void> {
  const response = await fetch('/api/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  const { token } = (await response.json()) as { token: string };
  leadlight.identify({ email }, { token });
}

hydrateRoot(
  document.getElementById('root') as HTMLElement,
  <StrictMode>
    <LeadlightProvider client={leadlight} bootstrap={data.bootstrap ?? undefined}>
      <PricingApp path={data.path} onSignIn={signIn} />
    </LeadlightProvider>
  </StrictMode>,
  {
    // React reports what it recovered from (a hydration mismatch among them) here; the example logs it.
    onRecoverableError: (error) => console.error('[react-example] recoverable error:', error),
  },
);
