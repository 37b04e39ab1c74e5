// Real-browser test support: serves the suites' pages from 127.0.0.1 on an ephemeral port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One page or script: its body, content type, extra headers and how long the server sits on it. */
export interface Route {
  body: string;
  type?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** Serves `routes` by path (the query is ignored); answers 404 elsewhere. */
export async function servePages(
  routes: Record<string, Route>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const send = () =>
      res
        .writeHead(200, {
          'content-type': route.type ?? 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          ...route.headers,
        })
        .end(route.body);
    // The delay holds a script back so the page paints before personalization runs.
    if (route.delayMs) setTimeout(send, route.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
