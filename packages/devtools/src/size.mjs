#!/usr/bin/env node
// Checks a package's built files against the size budgets in its package.json:
// "leadlight": { "sizeBudgets": [{ "file": "dist/x.js", "gzip": 6144, "minify": false, "imports": ["a", "b"] }] }
// With "imports", the budget is for that import set: rollup tree-shakes the file down to those exports
// (what a bundler ships for `import { a, b }`). "minify" runs terser first (already-minified files skip it).
// Sizes are then gzip -9 and brotli -11. A `*` in "file" matches one built file (versioned chunks:
// "dist/leadlight-page-queue.*.js").
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { minify } from 'terser';

/** Bundles only the named exports of a module, as a tree-shaking bundler would. */
async function bundleImports(file, imports) {
  const entry = '\0size-entry';
  const bundle = await rollup({
    input: entry,
    plugins: [
      {
        name: 'size-entry',
        resolveId: (id) => (id === entry ? id : null),
        load: (id) =>
          id === entry ? `export { ${imports.join(', ')} } from ${JSON.stringify(resolve(file))};` : null,
      },
    ],
  });
  const { output } = await bundle.generate({ format: 'es' });
  return output[0].code;
}

/** The file a budget names; a `*` in its name matches the one built file that fits. */
function builtFile(pattern) {
  if (!pattern.includes('*')) return pattern;
  const dir = dirname(pattern);
  const match = new RegExp(`^${basename(pattern).replace(/[.]/g, '\\.').replace('*', '[^/]+')}$`);
  const found = readdirSync(resolve(dir)).filter((name) => match.test(name));
  if (found.length !== 1) throw new Error(`size: ${pattern} matches ${found.length} files`);
  return join(dir, found[0]);
}

const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8'));
const budgets = pkg.leadlight?.sizeBudgets ?? [];
let failed = false;
const rows = [];
for (const budget of budgets) {
  const file = builtFile(budget.file);
  let code = budget.imports ? await bundleImports(file, budget.imports) : readFileSync(resolve(file), 'utf8');
  if (budget.minify) code = (await minify(code, { module: true, compress: { passes: 2 } })).code ?? '';
  const bytes = Buffer.byteLength(code);
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const ok = gzip <= budget.gzip;
  if (!ok) failed = true;
  const label = budget.imports ? `${budget.file} { ${budget.imports.join(', ')} }` : budget.file;
  rows.push({ file: `${pkg.name}/${label}`, min: bytes, gzip, brotli, budget: budget.gzip, ok });
}
for (const r of rows) {
  console.log(
    `${r.ok ? 'ok  ' : 'OVER'} ${r.file.padEnd(48)} min ${String(r.min).padStart(7)} B  gzip ${String(r.gzip).padStart(6)} B  brotli ${String(r.brotli).padStart(6)} B  budget ${r.budget} B gzip`,
  );
}
if (failed) {
  console.error('size: a bundle is over its gzip budget');
  process.exit(1);
}
