import { createServer } from 'node:net';

// A local port that was free a moment ago (a config that must name its origin before a server starts).
// Plain JavaScript: vitest configs load it through Node before any TypeScript transform.
/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
