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
    // The bundle config compiles the worker's and scoring-core's sources too (they sit outside this package).
    typescript({
      tsconfig: './tsconfig.bundle.json',
      include: ['sdk/src/**/*.ts', 'worker/src/**/*.ts', 'scoring-core/src/**/*.ts'],
      filterRoot: '..',
    }),
    minify(),
  ],
});

export default [
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.mjs', format: 'es' },
    external: [/^@leadlight\//, 'comlink', 'idb-keyval'],
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
  },
  iife('src/auto.ts', 'dist/leadlight.js'),
  iife('src/personalizeChunk.ts', 'dist/leadlight-personalize.js'),
  iife('src/snippet.ts', 'dist/snippet.js'),
];
