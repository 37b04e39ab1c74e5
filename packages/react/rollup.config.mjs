import typescript from '@rollup/plugin-typescript';

// React and the SDK are the app's own copies: imported by name, never bundled.
export default {
  input: { index: 'src/index.ts', server: 'src/server.ts' },
  output: { dir: 'dist', format: 'es' },
  external: [/^react($|\/)/, /^@leadlight\//],
  plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
};
