// Builds the example's client bundle with esbuild (React is CommonJS, which esbuild bundles as it is):
// dist/client.js minified for production, dist/client.development.js with React's development build,
// which the tests load to hear about every hydration mismatch. A warning fails the build.
import { build } from 'esbuild';

for (const mode of ['production', 'development']) {
  const result = await build({
    entryPoints: ['src/client.tsx'],
    outfile: mode === 'production' ? 'dist/client.js' : 'dist/client.development.js',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Workspace packages from their built files, as an npm user gets them: the queue's chunk names are
    // versioned by the worker's build, so the source would ask for names no server has.
    jsx: 'automatic',
    minify: mode === 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
    logLevel: 'warning',
    // The worker's built index keeps a bare `import 'idb-keyval'` (a module without side effects): harmless.
    logOverride: { 'ignored-bare-import': 'silent' },
    metafile: true,
  });
  if (result.warnings.length) process.exit(1);
}
