import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import typescript from '@rollup/plugin-typescript';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = new Set([...Object.keys(pkg.dependencies ?? {}), ...builtinModules]);

export default {
  input: { index: 'src/index.ts', cli: 'src/cli.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  },
  // Node builtins (with or without the node: prefix) and every runtime dependency stay imports.
  external: (id) =>
    id.startsWith('node:') || external.has(id) || [...external].some((dep) => id.startsWith(`${dep}/`)),
  plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
};
