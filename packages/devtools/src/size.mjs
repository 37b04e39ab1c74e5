#!/usr/bin/env node
// Checks a package's built files against the size budgets in its package.json:
// "leadlight": { "sizeBudgets": [{ "file": "dist/x.js", "gzip": 6144, "minify": false }] }
// Sizes are measured minified (terser, unless the file already is), then gzip -9 and brotli -11.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { minify } from 'terser';

const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8'));
const budgets = pkg.leadlight?.sizeBudgets ?? [];
let failed = false;
const rows = [];
for (const budget of budgets) {
  let code = readFileSync(resolve(budget.file), 'utf8');
  if (budget.minify) code = (await minify(code, { module: true, compress: { passes: 2 } })).code ?? '';
  const bytes = Buffer.byteLength(code);
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const ok = gzip <= budget.gzip;
  if (!ok) failed = true;
  rows.push({ file: `${pkg.name}/${budget.file}`, min: bytes, gzip, brotli, budget: budget.gzip, ok });
}
for (const r of rows) {
  console.log(
    `${r.ok ? 'ok  ' : 'OVER'} ${r.file.padEnd(44)} min ${String(r.min).padStart(7)} B  gzip ${String(r.gzip).padStart(6)} B  brotli ${String(r.brotli).padStart(6)} B  budget ${r.budget} B gzip`,
  );
}
if (failed) {
  console.error('size: a bundle is over its gzip budget');
  process.exit(1);
}
