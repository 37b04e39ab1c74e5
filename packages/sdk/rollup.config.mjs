import { iifeBundles } from '@leadlight/devtools/bundleConfig';
import { versionedChunk, versionedNames } from '@leadlight/devtools/versionedChunks';
import typescript from '@rollup/plugin-typescript';

// The bundles compile the worker's and scoring-core's sources too (they sit outside this package).
const iife = iifeBundles(['sdk', 'worker', 'scoring-core']);

// In this order: each chunk is built (and versioned by content) before leadlight.js, which names them. Everything
// a site serves next to leadlight.js is in this folder; the service worker is packages/worker/dist/leadlight-sw.js.
export default [
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.mjs', format: 'es' },
    external: [/^@leadlight\//, 'comlink', 'idb-keyval'],
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
  },
  iife('../worker/src/scoringChunk.ts', 'dist/leadlight-scoring.js', versionedChunk()),
  iife('../worker/src/pageQueueChunk.ts', 'dist/leadlight-page-queue.js', versionedNames(), versionedChunk()),
  // The plain leadlight-personalize.js stays for script tags cached before chunks were versioned.
  iife('src/personalizeChunk.ts', 'dist/leadlight-personalize.js', versionedChunk({ plain: true })),
  iife('src/auto.ts', 'dist/leadlight.js', versionedNames()),
  iife('src/snippet.ts', 'dist/snippet.js'),
];
