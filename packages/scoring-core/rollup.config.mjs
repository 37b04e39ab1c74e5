import typescript from '@rollup/plugin-typescript';

// Self-contained files: the account roll-up and the id maker are their own entries, so pages that score
// only people never load the roll-up, and the scoring set's size budget carries neither.
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
  {
    input: 'src/uuidV7.ts',
    output: { file: 'dist/uuidV7.js', format: 'es' },
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
  },
];
