import { versionedChunk, versionedNames } from '@leadlight/devtools/versionedChunks';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

// Siblings are bundled from their sources (the `source` export condition), so no build order matters.
const resolve = () => nodeResolve({ exportConditions: ['source', 'import', 'default'], browser: true });
const minify = () =>
  terser({
    ecma: 2020,
    toplevel: true,
    compress: { passes: 3, unsafe_arrows: true },
    format: { comments: false },
  });
const iife = (input, file, ...outputPlugins) => ({
  input,
  output: { file, format: 'iife', plugins: outputPlugins },
  plugins: [
    resolve(),
    // The bundle config compiles scoring-core's sources too (its files sit outside this package).
    typescript({
      tsconfig: './tsconfig.bundle.json',
      include: ['worker/src/**/*.ts', 'scoring-core/src/**/*.ts'],
      filterRoot: '..',
    }),
    minify(),
  ],
});

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
