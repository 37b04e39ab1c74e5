/// <reference types="node" />
// What a page with the script tag downloads, in real Chromium (the same measurement `pnpm size` prints): a
// plain page twice — the first visit, then the next page, which the service worker controls — and once on a
// site without a service worker (with and without personalization); each against the page budgets of
// DESIGN.md §8 (package.json).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findChrome, hasChrome } from '@leadlight/devtools/browser';
import { checkPageWeight, measurePageWeight, type PageBudget } from '@leadlight/devtools/pageWeight';
import { expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  leadlight: { pageDirs: string[]; pageBudgets: Record<string, PageBudget> };
};

it.skipIf(!hasChrome('sdk page weight'))(
  'each page downloads only what it uses, within budget',
  async () => {
    const measured = await measurePageWeight({
      dirs: pkg.leadlight.pageDirs.map((dir) => fileURLToPath(new URL(`../${dir}/`, import.meta.url))),
      executablePath: findChrome(),
    });
    const { pages } = measured;
    const files = (name: string) =>
      pages[name]!.files.map((f) => f.file.replace(/\.[0-9a-f]{8}\.js$/, '.js')).sort();
    expect(pages['service worker, first visit']!.controlled).toBe(false);
    expect(pages['service worker controls the page']!.controlled).toBe(true);
    // With a service worker the queue, IndexedDB and scoring live in it: the page loads leadlight.js alone.
    expect(files('service worker, first visit')).toEqual(['leadlight.js']);
    expect(files('service worker controls the page')).toEqual(['leadlight.js']);
    expect(files('no service worker')).toEqual(['leadlight-page-queue.js', 'leadlight.js']);
    // Without one: the in-page queue, and scoring only where the page shows scores (personalization).
    expect(files('no service worker, personalization')).toEqual([
      'leadlight-page-queue.js',
      'leadlight-personalize.js',
      'leadlight-scoring.js',
      'leadlight.js',
    ]);
    const rows = checkPageWeight(measured, pkg.leadlight.pageBudgets as never);
    console.log(
      rows.map((r) => `${r.what}: ${r.bytes} B (target ${r.target} B${r.met ? '' : ', missed'})`).join('\n'),
    );
    for (const row of rows) {
      expect(row.bytes, row.what).toBeLessThanOrEqual(row.guard);
      // A budget given as a plain number is a target that is met, and must stay met.
      if (row.target === row.guard) expect(row.met, row.what).toBe(true);
    }
  },
  120_000,
);
