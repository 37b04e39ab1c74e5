/// <reference types="node" />
// Personalization ships inside the 6 KB gzip leadlight.js and its prehide inside the 1 KB snippet:
// bundle each piece alone, minified the way the SDK build does, and hold it to its share.
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { rollup } from 'rollup';
import { expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Bundles `code` (an entry importing from this folder) into a minified IIFE, as the SDK build does. */
async function measure(code: string): Promise<{ min: number; gzip: number; brotli: number }> {
  const bundle = await rollup({
    input: 'entry',
    plugins: [
      {
        name: 'entry',
        resolveId: (id) => (id === 'entry' ? id : null),
        load: (id) => (id === 'entry' ? code : null),
      },
      typescript({
        tsconfig: false,
        include: [`${here}*.ts`],
        exclude: ['**/*.test.ts'],
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2022', 'DOM'],
        },
      }),
    ],
    onwarn: (warning) => {
      throw new Error(warning.message);
    },
  });
  const { output } = await bundle.generate({
    format: 'iife',
    plugins: [
      terser({ ecma: 2020, compress: { passes: 3, unsafe_arrows: true }, format: { comments: false } }),
    ],
  });
  const text = output[0].code;
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
    code: `import { installPersonalization } from '${here}index.ts'; window.ip = installPersonalization;`,
    budget: 3100,
  },
  {
    name: 'prehide (in the snippet)',
    code: `import { prehide } from '${here}prehide.ts'; prehide();`,
    budget: 350,
  },
];

it('personalization stays within its share of the bundles', { timeout: 60_000 }, async () => {
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
