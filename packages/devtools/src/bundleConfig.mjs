// The rollup pieces the sdk and the worker share. Their script-tag and service-worker bundles are minified IIFEs
// compiled from the siblings' sources (the `source` export condition), so no build order matters.
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

/** terser as the shipped bundles are minified; `options` override (e.g. `toplevel: false`). */
export const minify = (options = {}) =>
  terser({
    ecma: 2020,
    toplevel: true,
    compress: { passes: 3, unsafe_arrows: true },
    format: { comments: false },
    ...options,
  });

/**
 * Makes `iife(input, file, ...outputPlugins)`: the config of one minified IIFE bundle, compiled with the calling
 * package's tsconfig.bundle.json from the sources of `packages` (folder names under packages/).
 */
export function iifeBundles(packages) {
  return (input, file, ...outputPlugins) => ({
    input,
    output: { file, format: 'iife', plugins: outputPlugins },
    plugins: [
      nodeResolve({ exportConditions: ['source', 'import', 'default'], browser: true }),
      typescript({
        tsconfig: './tsconfig.bundle.json',
        include: packages.map((name) => `${name}/src/**/*.ts`),
        filterRoot: '..',
      }),
      minify(),
    ],
  });
}
