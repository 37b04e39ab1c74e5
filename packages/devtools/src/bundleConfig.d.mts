import type { OutputPlugin, Plugin, RollupOptions } from 'rollup';

/** terser as the shipped bundles are minified; `options` override (e.g. `toplevel: false`). */
export function minify(options?: Record<string, unknown>): Plugin;
/** Makes the config of one minified IIFE bundle, compiled from the sources of `packages` (names under packages/). */
export function iifeBundles(
  packages: string[],
): (input: string, file: string, ...outputPlugins: OutputPlugin[]) => RollupOptions;
