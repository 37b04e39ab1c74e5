// A visitor arrives from a paid ad, reads pricing and the knowledge base, gets the gated guide through the
// multi-step form and downloads it: the site's live panel and the dashboard (over /v1/stream, no reload) both
// show the new MQL; the exit popup catches them on the way; then sales moves the contact down the funnel.
import { join } from 'node:path';
import { hasChrome } from '@leadlight/devtools/browser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoSite } from '../src/demoConfig.js';
import { ARTIFACTS, type Demo, kpi, openDashboard, startDemo } from './demoHarness.js';

describe.skipIf(!hasChrome('demo live journey'))(
  'demo: paid-ad visitor to MQL, live on the dashboard (Chromium)',
  () => {
    let demo: Demo;
    let dashboard: Page;
    let site: Page;

    beforeAll(async () => {
      demo = await startDemo();
      dashboard = await openDashboard(demo);
      site = await demo.context.newPage();
      await site.setViewportSize({ width: 1280, height: 860 });
    });
    afterAll(async () => {
      await demo?.close();
    });

    const panelTotal = async () => Number(await site.locator('#ll-panel').getAttribute('data-total'));

    it('signs in without the secret key in a URL, a page, storage or a script-readable cookie', async () => {
      const secret = readDemoSite().secretKey;
      expect(dashboard.url()).not.toContain(secret);
      expect(await dashboard.content()).not.toContain(secret);
      const exposed = await dashboard.evaluate(() => [
        document.cookie,
        JSON.stringify(localStorage),
        JSON.stringify(sessionStorage),
      ]);
      for (const place of exposed) expect(place).not.toContain(secret);
      const session = (await demo.context.cookies(demo.url)).filter((c) => c.httpOnly);
      expect(session).toHaveLength(1);
      expect(session[0]).toMatchObject({ sameSite: 'Strict' });
      expect(exposed[0]).not.toContain(session[0]?.name);
      // Nothing the server sends to a browser carries it either.
      for (const path of ['/', '/pricing/', '/dashboard/', '/dashboard/dashboard.js', '/assets/site.js']) {
        const body = await (await fetch(`${demo.url}${path}`)).text();
        expect(body.length).toBeGreaterThan(100);
        expect(body).not.toContain(secret);
      }
    });

    it('shows the journey from a paid-ad landing to MQL live on the dashboard', async () => {
      await expect.poll(() => dashboard.locator('#leads').textContent()).toContain('No contacts yet');
      // A marker that a reload would wipe: the update must arrive over the stream.
      await dashboard.evaluate(() => {
        (window as unknown as { marker: number }).marker = 1;
      });

      await site.goto(`${demo.url}/pricing/?utm_source=google&utm_medium=cpc&utm_campaign=cloud-costs`);
      await expect.poll(panelTotal, { timeout: 20_000 }).toBe(15);
      await expect(site.locator('#ll-panel').textContent()).resolves.toContain('Came from a paid ad');
      await site.screenshot({ path: join(ARTIFACTS, 'site-pricing-paid-ad.png') });

      // Leaving through the top of the window opens the exit popup (a visitor who has not downloaded the guide).
      const popup = site.locator('dialog[data-ll-exit-popup]');
      await site.mouse.move(640, 400);
      await site.mouse.move(640, 120, { steps: 4 });
      await site.mouse.move(640, -40, { steps: 4 });
      await expect
        .poll(() => popup.evaluate((d) => (d as HTMLDialogElement).open), { timeout: 10_000 })
        .toBe(true);
      await site.screenshot({ path: join(ARTIFACTS, 'site-exit-popup.png') });
      await popup.locator('[data-ll-cta=exit-popup-dismiss]').click();
      await expect.poll(() => popup.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);

      await site.goto(`${demo.url}/kb/connect-aws-account/`);
      await site.goto(`${demo.url}/whitepaper/`);
      await site.locator('[name=email]').fill('dana.okafor@kestrel.example');
      await site.locator('[name=name]').fill('Dana Okafor');
      await site.locator('[data-step-next]').click();
      await site.locator('[name=company]').fill('Kestrel Bank');
      await site.locator('[name=companySize]').selectOption('4000');
      await site.locator('[name=role]').selectOption('vp');
      await site.screenshot({ path: join(ARTIFACTS, 'site-whitepaper-form.png') });
      await site.locator('#guide-form button[type=submit]').click();
      await site.waitForURL('**/whitepaper/thank-you/');
      await site.locator('[data-ll-cta=guide-download]').click();

      // pricing 10 + paid ad 5 + knowledge base 5 + guide 5, fit: 4,000 people 15 + VP 10 = 50: the MQL line.
      await expect
        .poll(() => site.locator('#ll-panel .ll-stage').textContent(), { timeout: 30_000 })
        .toBe('MQL');
      await expect.poll(panelTotal).toBeGreaterThanOrEqual(50);
      await expect(site.locator('.variant-hot').isVisible()).resolves.toBe(true);
      await expect(site.locator('.variant:not(.variant-hot)').isVisible()).resolves.toBe(false);
      await site.screenshot({ path: join(ARTIFACTS, 'site-thank-you-mql.png') });

      // Back on the home page, blocks chosen by what the visitor did and by stage show; the popup would not.
      await site.goto(`${demo.url}/`);
      await expect
        .poll(() => site.locator('.personal[data-ll-if]').isVisible(), { timeout: 10_000 })
        .toBe(true);
      await expect.poll(() => site.locator('.personal[data-ll-stage]').isVisible()).toBe(true);

      const row = dashboard.locator('tr[data-contact]', { hasText: 'Dana Okafor' });
      await expect.poll(() => row.locator('.stage').textContent(), { timeout: 30_000 }).toBe('MQL');
      await expect(row.locator('.sub').first().textContent()).resolves.toContain('Paid ads');
      expect(await dashboard.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
      await expect.poll(() => kpi(dashboard, 'mql')).toBe('1');

      await row.click();
      const detail = dashboard.locator('#detail .detail');
      await expect.poll(() => detail.locator('.timeline li').count()).toBeGreaterThanOrEqual(6);
      const timeline = await detail.locator('.timeline').textContent();
      expect(timeline).toContain('google / cpc');
      expect(timeline).toContain('Downloaded');
      expect(timeline).toContain('dana.okafor@kestrel.example');
      // Rules are named by their labels; the exit popup reads as a popup, its "No thanks" as no form.
      await expect(detail.locator('.breakdown').textContent()).resolves.toMatch(/Came from a paid ad.*\+5/);
      expect(timeline).toContain('Saw popup');
      expect(timeline).toContain('exit-popup-dismiss');
      expect(timeline).not.toMatch(/Submitted form\s*exit-popup/);
      expect(timeline).not.toContain('popup_shown');
      await dashboard.screenshot({ path: join(ARTIFACTS, 'dashboard-contact.png') });
    });

    it('updates the funnel when sales marks the contact SQL and then a customer', async () => {
      const detail = dashboard.locator('#detail .detail');
      expect(await kpi(dashboard, 'mql-sql')).toBe('0.0%');
      await detail.locator('[data-action=sql]').click();
      await expect.poll(() => kpi(dashboard, 'mql-sql')).toBe('100.0%');
      await expect.poll(() => dashboard.locator('#detail .detail-head .stage').textContent()).toBe('SQL');

      // Customer needs the deal's revenue first.
      await dashboard.locator('#detail [data-action=customer]').click();
      await expect.poll(() => dashboard.locator('#detail .action-status').textContent()).toContain('revenue');
      await dashboard.locator('#detail .revenue').fill('48000');
      // A live update re-renders the open contact meanwhile: what sales typed must survive it.
      const before = await dashboard.evaluate(() => document.body.dataset.refreshedAt);
      await site.goto(`${demo.url}/blog/`);
      await expect.poll(() => dashboard.evaluate(() => document.body.dataset.refreshedAt)).not.toBe(before);
      expect(await dashboard.locator('#detail .revenue').inputValue()).toBe('48000');
      await dashboard.locator('#detail [data-action=customer]').click();
      await expect.poll(() => kpi(dashboard, 'sql-customer')).toBe('100.0%');
      expect(await kpi(dashboard, 'revenue-per-mql')).toBe('$48,000');
      expect(await kpi(dashboard, 'time-to-customer')).not.toBe('—');
      const funnel = await dashboard.locator('#funnel').textContent();
      expect(funnel).toMatch(/Customers1/);
      // The stage history names the person signed in, not "session".
      await expect
        .poll(() => dashboard.locator('#detail .history').textContent())
        .toMatch(/CUSTOMER.*Sam Rivera.*\$48,000/);
      expect(await dashboard.locator('#detail .history').textContent()).not.toContain('session');
      await dashboard.locator('#close-detail').click();
      await dashboard.screenshot({ path: join(ARTIFACTS, 'dashboard-overview.png'), fullPage: true });
    });

    it('erases a contact after a confirmation answered from the keyboard, and states the retention policy', async () => {
      await expect.poll(() => dashboard.locator('#retention').textContent()).toBe('Events are kept 395 days');
      const contacts = Number(await kpi(dashboard, 'contacts'));
      const row = dashboard.locator('tr[data-contact]', { hasText: 'Dana Okafor' });
      await row.click();
      const erase = dashboard.locator('#detail [data-action=erase]');
      const dialog = dashboard.locator('dialog.erase-dialog');
      const focused = (attribute: string) =>
        dashboard.evaluate((name) => document.activeElement?.getAttribute(name), attribute);
      await erase.focus();
      await dashboard.keyboard.press('Enter');
      await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
      // Focus starts on Cancel, so Enter alone never erases; Escape backs out and returns focus.
      expect(await focused('data-erase')).toBe('cancel');
      await dashboard.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
      expect(await focused('data-action')).toBe('erase');
      expect(await row.count()).toBe(1);
      await dashboard.keyboard.press('Enter');
      await expect.poll(() => dialog.count()).toBe(1);
      await dashboard.keyboard.press('Tab');
      expect(await focused('data-erase')).toBe('confirm');
      await dashboard.keyboard.press('Enter');
      await expect.poll(() => row.count()).toBe(0);
      await expect.poll(() => kpi(dashboard, 'contacts')).toBe(String(contacts - 1));
      expect(await dashboard.locator('#detail-panel').isHidden()).toBe(true);
      await expect.poll(() => dashboard.locator('#banner').textContent()).toContain('Dana Okafor erased');
    });
  },
);
