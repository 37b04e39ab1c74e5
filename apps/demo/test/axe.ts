// axe-core injected into a real Chromium page: every violation, whatever its impact.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe-core violation: its rule, impact and the first few elements. */
export interface Violation {
  id: string;
  impact: string | null;
  targets: string[];
}

/** Runs axe-core on the page as it is now; every violation, whatever its impact. */
export async function axe(page: Page): Promise<Violation[]> {
  // Evaluated over the DevTools protocol, so no page CSP is in the way and the page's own code is untouched.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}
