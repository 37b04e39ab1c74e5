import { iifeBundles } from '@leadlight/devtools/bundleConfig';
import { versionedChunk, versionedNames } from '@leadlight/devtools/versionedChunks';
import typescript from '@rollup/plugin-typescript';

// The bundles compile scoring-core's sources too (its files sit outside this package).
const iife = iifeBundles(['worker', 'scoring-core']);

// In this order: each chunk is built (and versioned by content) before the code that names it.
export default [
  iife('src/scoringChunk.ts', 'dist/leadlight-scoring.js', versionedChunk()),
  iife('src/pageQueueChunk.ts', 'dist/leadlight-page-queue.js', versionedNames(), versionedChunk()),
  // Only for script tags cached before the queue session moved into leadlight.js: they load this plain name.
  iife('src/queueChunk.ts', 'dist/leadlight-queue.js', versionedNames()),
  iife('src/serviceWorker.ts', 'dist/leadlight-sw.js'),
  // The client the SDK bundles into its script tag: write-ahead log, the queue session and the service worker's
  // connection (no comlink: its wire format, see callPort.ts); the in-page queue stays a chunk.
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.js', format: 'es', plugins: [versionedNames()] },
    external: ['comlink', 'idb-keyval', '@leadlight/scoring-core'],
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
  },
];
