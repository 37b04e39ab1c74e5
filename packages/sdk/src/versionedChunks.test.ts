/// <reference types="node" />
// The built leadlight.js names each chunk by the hash of that chunk's content, so a cached leadlight.js only
// ever loads the chunk it was built with (a newer one has another name), from the site or from the collector.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url);
const sha = (file: string) =>
  createHash('sha256')
    .update(readFileSync(dist(file)))
    .digest('hex');

it('names content-addressed chunks that sit next to leadlight.js', () => {
  const named = [...new Set(readFileSync(dist('leadlight.js'), 'utf8').match(/leadlight-[\w-]+\.\w+\.js/g))];
  expect(named.map((file) => file.replace(/\.\w+\.js$/, '')).sort()).toEqual([
    'leadlight-page-queue',
    'leadlight-personalize',
    'leadlight-scoring',
  ]);
  for (const file of named) {
    expect(existsSync(dist(file)), file).toBe(true);
    expect(file).toBe(file.replace(/\.\w+\.js$/, `.${sha(file).slice(0, 8)}.js`));
  }
  // Kept for script tags cached before versioning: the same code under the plain name.
  const personalize = named.find((file) => file.startsWith('leadlight-personalize.'))!;
  expect(sha('leadlight-personalize.js')).toBe(sha(personalize));
});
