/// <reference types="node" />
// Test support (not shipped): bundles entries from this folder with rollup + terser, as the SDK build does.
import { fileURLToPath } from 'node:url';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { rollup } from 'rollup';

/** This folder, to import sources from in bundled entries. */
export const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Bundles `code` (an entry importing from this folder by absolute path) into a minified IIFE. */
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
        include: [`${HERE}*.ts`],
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
    plugins: [
      terser({ ecma: 2020, compress: { passes: 3, unsafe_arrows: true }, format: { comments: false } }),
    ],
  });
  await bundle.close();
  return output[0].code;
}
