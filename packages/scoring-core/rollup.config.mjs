import typescript from '@rollup/plugin-typescript';

// Two self-contained files: the account roll-up is its own entry, so pages that score only people
// never load it (and the scoring set's size budget does not carry it).
export default [
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.js', format: 'es' },
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
  },
  {
    input: 'src/accounts.ts',
    output: { file: 'dist/accounts.js', format: 'es' },
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
  },
];
