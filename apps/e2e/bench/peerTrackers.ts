// The trackers the peer bench compares, each as a site would ship it: Leadlight's built script tag (with its
// service worker, and without one), and the peers from their npm packages, bundled for the browser by esbuild
// (minified, code-split ES modules) from a few lines of the setup their READMEs show.
import { join } from 'node:path';
import { build } from 'esbuild';

export interface Tracker {
  name: string;
  /** Script tags for the page's <head>; `origin` is the site's (and collector's) origin. */
  head(origin: string): string;
  /** Path prefix of the requests that carry its events: the bench waits until one arrives. */
  sends: string;
  /** Entry code bundled from the npm package into `/peers/<id>/`, for peers. */
  entry?: { id: string; code: string };
}

const leadlight = (sw: boolean) => (origin: string) =>
  `<script async src="/leadlight.js" data-site-key="pk_bench" data-endpoint="${origin}"${sw ? ' data-sw="/leadlight-sw.js"' : ''}></script>`;
const peer = (id: string) => () => `<script type="module" src="/peers/${id}/${id}.js"></script>`;

export const TRACKERS: Tracker[] = [
  { name: 'no tracker (baseline)', head: () => '', sends: '' },
  { name: 'Leadlight, service worker', head: leadlight(true), sends: '/v1/batch' },
  { name: 'Leadlight, no service worker', head: leadlight(false), sends: '/v1/batch' },
  {
    name: 'Plausible (@plausible-analytics/tracker)',
    head: peer('plausible'),
    sends: '/api/event',
    entry: {
      id: 'plausible',
      // Its automatic captures closest to Leadlight's: outbound links, downloads, forms.
      code: `import { init } from '@plausible-analytics/tracker';
        init({ domain: 'bench.example', endpoint: '/api/event', outboundLinks: true, fileDownloads: true,
          formSubmissions: true, captureOnLocalhost: true, logging: false });`,
    },
  },
  {
    name: 'Segment (@segment/analytics-next)',
    head: peer('segment'),
    sends: '/seg/',
    entry: {
      id: 'segment',
      // The settings its CDN would answer, given inline (this network has no CDN); events to this origin.
      code: `import { AnalyticsBrowser } from '@segment/analytics-next';
        const analytics = AnalyticsBrowser.load({ writeKey: 'wk_bench', cdnSettings: { integrations: {
          'Segment.io': { apiKey: 'wk_bench', apiHost: location.host + '/seg', protocol: 'http' } } } });
        analytics.page();`,
    },
  },
  {
    name: 'PostHog (posthog-js)',
    head: peer('posthog'),
    sends: '/ph/e/',
    entry: {
      id: 'posthog',
      // It drops events from headless browsers unless told not to (the others send them as they are).
      code: `import posthog from 'posthog-js';
        posthog.init('phc_bench', { api_host: location.origin + '/ph', opt_out_useragent_filter: true });`,
    },
  },
];

/** Bundles every peer's entry into `dir/peers/<id>/` (run from packages/sdk, where the packages resolve). */
export async function buildPeers(dir: string): Promise<void> {
  for (const { entry } of TRACKERS) {
    if (!entry) continue;
    await build({
      stdin: { contents: entry.code, resolveDir: process.cwd(), sourcefile: `${entry.id}.js` },
      entryNames: entry.id,
      outdir: join(dir, 'peers', entry.id),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'error',
    });
  }
}
