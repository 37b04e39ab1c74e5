import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

interface Cached {
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
}

/** Serves files from disk with strong ETags (304 on `If-None-Match`) and a chosen Cache-Control. */
export class StaticFiles {
  private readonly cache = new Map<string, Cached>();

  /** Sends a file if it exists, with any extra headers; answers false (sending nothing) when it does not. */
  async send(
    request: FastifyRequest,
    reply: FastifyReply,
    file: string,
    cacheControl: string,
    headers: Record<string, string> = {},
  ): Promise<boolean> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch {
      return false;
    }
    if (!info.isFile()) return false;
    let cached = this.cache.get(file);
    if (!cached || cached.mtimeMs !== info.mtimeMs || cached.size !== info.size) {
      const body = await readFile(file);
      cached = {
        mtimeMs: info.mtimeMs,
        size: info.size,
        body,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      };
      if (body.length <= 2 * 1024 * 1024) this.cache.set(file, cached);
    }
    reply.header('content-type', TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
    reply.header('cache-control', cacheControl);
    reply.header('etag', cached.etag);
    reply.header('x-content-type-options', 'nosniff');
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    if (request.headers['if-none-match'] === cached.etag) {
      await reply.code(304).send();
      return true;
    }
    await reply.code(200).send(request.method === 'HEAD' ? undefined : cached.body);
    return true;
  }
}

/**
 * Maps a URL path to a file under `root`, or null when it escapes the root: folders serve their
 * index.html, and `/dashboard` (no trailing slash) serves `dashboard/index.html`.
 */
export async function resolveStaticPath(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const target = resolve(join(base, decoded));
  if (target !== base && !target.startsWith(base + sep)) return null;
  try {
    const info = await stat(target);
    return info.isDirectory() ? join(target, 'index.html') : target;
  } catch {
    return target;
  }
}
