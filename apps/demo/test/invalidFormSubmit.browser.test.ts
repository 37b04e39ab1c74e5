// The demo-request form (native constraints, `novalidate`, its own script shows the error and cancels the
// submit): attempts with an empty or malformed email are stored as `form_invalid` and score nothing; the valid
// submit is the one `form_submit`, worth its +20 once.
import { hasChrome } from '@leadlight/devtools/browser';
import type { TrackedEvent } from '@leadlight/scoring-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoSite } from '../src/demoConfig.js';
import { type Demo, startDemo } from './demoHarness.js';

/** What the test calls on the page's `window.leadlight`. */
type Global = {
  leadlight: { anonymousId(): string; flush(): Promise<unknown>; ready(cb: () => void): void };
};

interface Contact {
  id: string;
  stage: string;
  score: { total: number; breakdown: { rule: string; count: number; points: number }[] };
}

describe.skipIf(!hasChrome('demo invalid form submit'))(
  'demo: invalid and valid submits of the demo-request form (Chromium)',
  () => {
    let demo: Demo;
    let site: Page;
    const secret = (path: string) =>
      fetch(`${demo.url}${path}`, { headers: { authorization: `Bearer ${readDemoSite().secretKey}` } });
    const visitor = async (): Promise<Contact> => {
      const anonymousId = await site.evaluate(() => (window as unknown as Global).leadlight.anonymousId());
      const res = await secret(`/v1/visitors/${anonymousId}`);
      expect(res.status).toBe(200);
      return (await res.json()) as Contact;
    };
    const stored = async (contactId: string, type: string): Promise<TrackedEvent[]> =>
      (
        (await (await secret(`/v1/leads/${contactId}/events?type=${type}`)).json()) as {
          items: TrackedEvent[];
        }
      ).items;
    const attempt = async () => {
      await site.locator('#demo-form button[type=submit]').click();
      await expect.poll(() => site.locator('#demo-form .form-error').isVisible()).toBe(true);
    };

    beforeAll(async () => {
      demo = await startDemo();
      site = await demo.context.newPage();
    });
    afterAll(async () => {
      await demo?.close();
    });

    it('stores invalid attempts as form_invalid, without points or an identify', async () => {
      await site.goto(`${demo.url}/demo/`);
      await site.evaluate(
        () => new Promise<void>((resolve) => (window as unknown as Global).leadlight.ready(() => resolve())),
      );
      // `invalid` events fired before the page's own submit handler runs: the SDK's look must fire none (the
      // page's script fires its own afterwards, from checkValidity()).
      await site.evaluate(() => {
        const seen = { invalid: 0, beforePage: [] as number[] };
        (window as unknown as { seen: typeof seen }).seen = seen;
        document.addEventListener('invalid', () => seen.invalid++, true);
        window.addEventListener('submit', () => (seen.invalid = 0), true);
        document.addEventListener('submit', () => seen.beforePage.push(seen.invalid), true);
      });

      await attempt();
      expect(await site.locator('#demo-form .form-error').textContent()).toMatch(/^Work email: /);
      await site.locator('[name=email]').fill('dana.okafor@');
      await site.locator('[name=name]').fill('Dana Okafor');
      await site.locator('[name=company]').fill('Kestrel Bank');
      await site.locator('[name=companySize]').selectOption('4000');
      await site.locator('[name=role]').selectOption('vp');
      await attempt();
      expect(await site.locator('#demo-form .form-error').textContent()).toMatch(/^Work email: /);
      expect(site.url()).toBe(`${demo.url}/demo/`);
      expect(
        await site.evaluate(() => (window as unknown as { seen: { beforePage: number[] } }).seen.beforePage),
      ).toEqual([0, 0]);

      await site.evaluate(() => (window as unknown as Global).leadlight.flush());
      const contact = await visitor();
      await expect.poll(async () => (await stored(contact.id, 'form_invalid')).length).toBe(2);
      const invalid = await stored(contact.id, 'form_invalid');
      expect(invalid.map((e) => e.props?.form)).toEqual(['demo-request', 'demo-request']);
      expect(await stored(contact.id, 'form_submit')).toEqual([]);
      expect(await stored(contact.id, 'identify')).toEqual([]);
      const after = await visitor();
      expect(after.stage).toBe('visitor');
      expect(after.score.total).toBe(0);
      expect(after.score.breakdown.map((b) => b.rule)).not.toContain('demo-request');
    });

    it('counts the valid submit once, with its points and the identify', async () => {
      await site.locator('[name=email]').fill('dana.okafor@kestrel.example');
      await site.locator('#demo-form button[type=submit]').click();
      await site.waitForURL('**/demo/thank-you/');
      await site.evaluate(
        () => new Promise<void>((resolve) => (window as unknown as Global).leadlight.ready(() => resolve())),
      );
      await site.evaluate(() => (window as unknown as Global).leadlight.flush());
      const { id } = await visitor();
      await expect.poll(async () => (await stored(id, 'form_submit')).length).toBe(1);
      expect((await stored(id, 'form_submit'))[0]?.props?.form).toBe('demo-request');
      expect(await stored(id, 'form_invalid')).toHaveLength(2);
      expect((await stored(id, 'identify'))[0]?.traits).toMatchObject({
        email: 'dana.okafor@kestrel.example',
        company: 'Kestrel Bank',
      });
      const contact = await visitor();
      expect(contact.score.breakdown.find((b) => b.rule === 'demo-request')).toMatchObject({
        count: 1,
        points: 20,
      });
      // demo-request 20 + fit: 4,000 people 15 + VP 10.
      expect(contact.score.total).toBe(45);
      expect(contact.stage).toBe('lead');
    });
  },
);
