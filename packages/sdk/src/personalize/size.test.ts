/// <reference types="node" />
// Personalization ships inside the 6 KB gzip leadlight.js and its prehide inside the 1 KB snippet:
// bundle each piece alone, minified the way the SDK build does, and hold it to its share.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { bundleForTest, PERSONALIZE } from '../../test/personalize/bundleForTest.js';

async function measure(code: string): Promise<{ min: number; gzip: number; brotli: number }> {
  const text = await bundleForTest(code);
  return {
    min: Buffer.byteLength(text),
    gzip: gzipSync(text, { level: 9 }).length,
    brotli: brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Each piece and its gzip budget in bytes (its share of leadlight.js's 6144, of the snippet's 1024). */
const PIECES = [
  {
    name: 'installPersonalization (in leadlight.js)',
    code: `import { installPersonalization } from '${PERSONALIZE}index.ts'; window.ip = installPersonalization;`,
    budget: 3200,
  },
  {
    name: 'prehide (in the snippet)',
    code: `import { prehide } from '${PERSONALIZE}prehide.ts'; prehide();`,
    budget: 350,
  },
];

it('personalization stays within its share of the bundles', { timeout: 180_000 }, async () => {
  const rows = [];
  for (const piece of PIECES)
    rows.push({ piece: piece.name, ...(await measure(piece.code)), budget: piece.budget });
  console.log(
    rows
      .map(
        (r) =>
          `${r.piece.padEnd(42)} min ${String(r.min).padStart(6)} B  gzip ${String(r.gzip).padStart(5)} B  brotli ${String(r.brotli).padStart(5)} B  budget ${r.budget} B (${Math.round((r.gzip / r.budget) * 100)}%)`,
      )
      .join('\n'),
  );
  for (const r of rows) expect(r.gzip, r.piece).toBeLessThanOrEqual(r.budget);
});
