// Splits dist/leadlight.js's gzip size (build first) into its parts: each part is stubbed out in turn and the
// difference is its share. Run from packages/sdk (part of `pnpm bench`): `node bench/sizeShares.mjs`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import config from '../rollup.config.mjs';

const script = config.find((c) => c.output.file === 'dist/leadlight.js');
const stub = (pattern, code) => ({
  name: 'stub',
  resolveId: (source) => (pattern.test(source) ? `\0stub:${source}` : null),
  load: (id) => (id.startsWith('\0stub:') && pattern.test(id.slice(6)) ? code : null),
});
async function gzip(extra) {
  const bundle = await rollup({
    input: script.input,
    plugins: [...extra, ...script.plugins],
    onwarn: () => {},
  });
  const { output } = await bundle.generate({ format: 'iife' });
  return gzipSync(output[0].code, { level: 9 }).length;
}
const full = await gzip([]);
const chunk = gzipSync(readFileSync('dist/leadlight-personalize.js'), { level: 9 }).length;
const noPersonalize = await gzip([
  stub(
    /personalize\/lazyPersonalization\.js$/,
    'export const lazyPersonalization = () => () => ({observe(){},exitIntent(){},when(){return()=>{}},stop(){}});',
  ),
]);
const noQueue = await gzip([stub(/connectQueue\.js$/, 'export const connectQueue = (o) => o;')]);
const sdkOnly = await gzip([
  stub(
    /personalize\/lazyPersonalization\.js$/,
    'export const lazyPersonalization = () => () => ({observe(){},exitIntent(){},when(){return()=>{}},stop(){}});',
  ),
  stub(/connectQueue\.js$/, 'export const connectQueue = (o) => o;'),
]);
console.table({
  'leadlight.js': { gzip: full },
  'personalization share (visitor record + chunk loader)': { gzip: full - noPersonalize },
  'queue client share (worker)': { gzip: full - noQueue },
  'capture, identity, consent, loader': { gzip: sdkOnly },
  'leadlight-personalize.js (built; loaded only where needed)': { gzip: chunk },
});
