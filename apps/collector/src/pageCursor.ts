import { CollectorError } from './collectorError.js';

/** Encodes a paging position as an opaque cursor. */
export function encodeCursor(position: [number | string, string]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor` whose key is a number (or, on request, a string); 400 otherwise. */
export function decodeCursor(cursor: unknown): [number, string] | undefined;
export function decodeCursor(cursor: unknown, key: 'string'): [string, string] | undefined;
export function decodeCursor(
  cursor: unknown,
  key: 'number' | 'string' = 'number',
): [number | string, string] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (typeof cursor === 'string' && cursor.length < 1000) {
    try {
      const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (
        Array.isArray(value) &&
        value.length === 2 &&
        (key === 'string' ? typeof value[0] === 'string' : Number.isFinite(value[0])) &&
        typeof value[1] === 'string'
      ) {
        return [value[0], value[1]];
      }
    } catch {
      // fall through to the error below
    }
  }
  throw new CollectorError('bad_request', 'cursor: expected the nextCursor of a previous page');
}

/** Parses `limit` (default 50, 1 to 500). */
export function parseLimit(value: unknown, fallback = 50): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 1 || n > 500) {
    throw new CollectorError(
      'bad_request',
      `limit: expected an integer from 1 to 500, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}
