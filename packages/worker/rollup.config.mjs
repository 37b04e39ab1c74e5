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
const iife = (input, file) => ({
  input,
  output: { file, format: 'iife' },
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

export default [
  // The client the SDK bundles into its script tag: write-ahead log and chunk loader, no comlink, no queue.
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.js', format: 'es' },
    external: ['comlink', 'idb-keyval', '@leadlight/scoring-core'],
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
  },
  iife('src/serviceWorker.ts', 'dist/leadlight-sw.js'),
  iife('src/queueChunk.ts', 'dist/leadlight-queue.js'),
];
