/// <reference types="node" />
// Test support: bundles entries that import the personalization sources with rollup + terser, as the SDK build does.
import { fileURLToPath } from 'node:url';
import { minify } from '@leadlight/devtools/bundleConfig';
import typescript from '@rollup/plugin-typescript';
import { rollup } from 'rollup';

/** The personalization sources' folder, to import from in bundled entries. */
export const PERSONALIZE = fileURLToPath(new URL('../../src/personalize/', import.meta.url));
/** The page side of the browser suites (`window.harness`), to import in a bundled entry. */
export const HARNESS = fileURLToPath(new URL('./testHarness.ts', import.meta.url));

/** Bundles `code` (an entry importing `PERSONALIZE` sources or `HARNESS` by absolute path) into a minified IIFE. */
export async function bundleForTest(code: string): Promise<string> {
  const bundle = await rollup({
    input: 'entry',
    plugins: [
      {
        name: 'entry',
        resolveId: (id) => (id === 'entry' ? id : null),
        load: (id) => (id === 'entry' ? code : null),
      },
      typescript({
        tsconfig: false,
        include: [`${PERSONALIZE}*.ts`, HARNESS],
        exclude: ['**/*.test.ts'],
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2022', 'DOM'],
        },
      }),
    ],
    onwarn: (warning) => {
      throw new Error(warning.message);
    },
  });
  const { output } = await bundle.generate({
    format: 'iife',
    plugins: [minify({ toplevel: false })],
  });
  await bundle.close();
  return output[0].code;
}
