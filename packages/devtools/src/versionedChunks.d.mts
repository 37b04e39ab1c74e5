import type { Plugin } from 'rollup';

/** Writes the chunk as `<name>.<hash>.js`; `plain` also keeps `<name>.js`. */
export function versionedChunk(options?: { plain?: boolean }): Plugin;
/** Replaces plain chunk names with the versioned names built earlier in this run (or found in `dir`). */
export function versionedNames(options?: { dir?: string }): Plugin;
