import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LeadlightProvider } from '@leadlight/react';
import { fetchBootstrap, serializeBootstrap } from '@leadlight/react/server';
import { renderToString } from 'react-dom/server';
import { identityToken } from './exampleSite.js';
import { PAGES, PricingApp, pageOf } from './PricingApp.js';
import type { PageData } from './pageData.js';

/** Options of `startExampleServer`. */
export interface ExampleServerOptions {
  /** The collector's base URL. */
  endpoint: string;
  siteKey: string;
  /** The site's identity secret, for the sign-in's identity token. */
  identitySecret: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** `development` serves React's development build, which reports hydration mismatches in full. */
  bundle?: 'production' | 'development';
}

/** A running example server. */
export interface ExampleServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const DIST = new URL('../dist/', import.meta.url);

/** The page's HTML around the server-rendered app; the data script is JSON that cannot close its element. */
function html(app: string, data: PageData, title: string, bundle: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Leadlight React example</title>
<link rel="icon" href="data:,">
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 56rem; padding: 1rem 2rem; color: #1b2430; }
  header { display: flex; justify-content: space-between; align-items: center; }
  nav a { margin-right: 1rem; } nav a[aria-current] { font-weight: 700; }
  .badge { background: #eef2f7; border-radius: 1rem; padding: .2rem .8rem; font-size: .9rem; }
  h1.mql { color: #0b6b3a; }
  #plans { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1rem; }
  #plans article { border: 1px solid #d5dbe3; border-radius: .5rem; padding: 0 1rem; }
  #sign-in, #signed-in { margin-top: 1.5rem; }
</style>
</head>
<body>
<div id="root">${app}</div>
<script id="page-data" type="application/json">${serializeBootstrap(data)}</script>
<script type="module" src="/assets/${bundle}"></script>
</body>
</html>
`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > 10_000) throw new Error('body too large');
  }
  return body;
}

/** Starts the example site: server-rendered pages bootstrapped from the collector, the client bundle, a sign-in. */
export async function startExampleServer(options: ExampleServerOptions): Promise<ExampleServer> {
  const bundle = options.bundle === 'development' ? 'client.development.js' : 'client.js';
  const script = await readFile(new URL(bundle, DIST), 'utf8').catch(() => {
    throw new Error(`${bundle} is not built: run \`pnpm --filter @leadlight/react-example build\``);
  });

  const page = async (request: IncomingMessage, response: ServerResponse, path: string) => {
    const current = pageOf(path);
    // What this visitor's own browser would get from the collector: the device view, or the contact view
    // once an identity token verified it. Undefined (a new visitor, a slow collector): the page still renders.
    const bootstrap = await fetchBootstrap({
      endpoint: options.endpoint,
      siteKey: options.siteKey,
      cookieHeader: request.headers.cookie,
    });
    // The same tree the client hydrates; on the server the provider starts nothing (effects never run).
    const app = renderToString(
      <LeadlightProvider
        options={{ siteKey: options.siteKey, endpoint: options.endpoint }}
        bootstrap={bootstrap}
      >
        <PricingApp path={current} />
      </LeadlightProvider>,
    );
    const data: PageData = {
      siteKey: options.siteKey,
      endpoint: options.endpoint,
      path: current,
      bootstrap: bootstrap ?? null,
    };
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(html(app, data, PAGES[current], bundle));
  };

  // Stands in for the site's real sign-in: a real backend computes the token only for the user it has
  // authenticated (password, SSO, magic link), never for an email a visitor merely typed.
  const signIn = async (request: IncomingMessage, response: ServerResponse) => {
    const { email } = JSON.parse(await readBody(request)) as { email?: unknown };
    if (typeof email !== 'string' || !email.includes('@')) {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"email"}');
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify({ token: identityToken(options.identitySecret, email) }));
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const handle =
      path === `/assets/${bundle}`
        ? async () => {
            response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
          }
        : path === '/api/sign-in' && request.method === 'POST'
          ? () => signIn(request, response)
          : path === '/'
            ? async () => {
                response.writeHead(302, { location: '/pricing' }).end();
              }
            : path in PAGES
              ? () => page(request, response, path)
              : async () => {
                  response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
                };
    handle().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`error: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
