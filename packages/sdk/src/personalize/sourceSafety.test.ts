/// <reference types="node" />
// The shipped personalization code never turns text into HTML or code, and never writes inline styles:
// that is what keeps it safe with network text and working under a strict CSP.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { PERSONALIZE } from '../../test/personalize/bundleForTest.js';

const SHIPPED = readdirSync(PERSONALIZE).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const SINKS =
  /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\s*['"]style|\.style\.|cssText|setTimeout\(\s*['"`]/;

it.each(SHIPPED)('%s uses no HTML, code or inline-style sink', (file) => {
  const code = readFileSync(`${PERSONALIZE}${file}`, 'utf8');
  expect(code.match(SINKS)?.[0]).toBeUndefined();
});

it('covers the shipped files', () => {
  expect(SHIPPED).toEqual(
    expect.arrayContaining(['installPersonalization.ts', 'exitPopup.ts', 'decidePage.ts', 'prehide.ts']),
  );
});
