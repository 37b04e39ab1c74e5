/// <reference types="node" />
// The whole path in real Chromium: a plain HTML page with only the script tag → autocapture → the worker's
// queue (service worker) → the real collector, which stores the events. Every request body is inspected for
// the values typed into password and card fields.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCollector, startCollector } from '@leadlight/collector';
import { hasChrome, type LaunchedBrowser, launchBrowser } from '@leadlight/devtools/browser';
import { freePort } from '@leadlight/devtools/freePort';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkLoaded, storedEvents } from './collectorSite.js';

const SECRET = 'sk_sdk_secret_for_tests';
const PASSWORD = 'Tr0ub4dor&3-never-sent';
const CARD = '4242424242424242';
const HIDDEN = 'csrf-token-never-sent';
const SIGNATURE = 'f00dfeed5167';
const MODEL = {
  version: 'sdk-e2e',
  rules: [
    { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10 },
    { id: 'guide', event: 'download', match: { ext: ['pdf'] }, points: 5 },
    { id: 'demo', event: 'cta_click', match: { cta: 'demo' }, points: 20 },
  ],
  fit: [],
  mql: { total: 30 },
};

const tag = (origin: string) =>
  `<script async src="${origin}/leadlight.js" data-site-key="pk_sdk" data-endpoint="${origin}" data-sw="/leadlight-sw.js"></script>`;

describe.skipIf(!hasChrome('sdk script tag → collector'))('script tag to collector (Chromium)', () => {
  let collector: RunningCollector;
  let browser: LaunchedBrowser;
  let dir: string;
  let origin: string;
  const bodies: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'll-sdk-e2e-'));
    const site = join(dir, 'site');
    mkdirSync(join(site, 'files'), { recursive: true });
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const page = (title: string, body: string) =>
      `<!doctype html><html><head><title>${title}</title>${tag(origin)}</head><body>${body}</body></html>`;
    writeFileSync(
      join(site, 'index.html'),
      page(
        'Home',
        `<h1>Acme</h1>
        <a id="pricing" href="/pricing.html?utm_source=newsletter&utm_medium=email">Pricing</a>
        <a id="guide" href="/files/guide.pdf" download><span>Get the <b id="guide-label">guide</b></span></a>
        <button data-ll-cta="demo"><span id="demo-label">Book a demo</span></button>
        <form id="signup" action="/thanks.html" method="get">
          <input name="email" type="email" id="email">
          <input name="company" id="company">
          <input name="password" type="password" id="password">
          <input name="cardnumber" autocomplete="cc-number" id="card">
          <input name="csrf" type="hidden" value="${HIDDEN}">
          <button type="submit" id="submit">Sign up</button>
        </form>`,
      ),
    );
    writeFileSync(
      join(site, 'pricing.html'),
      page('Pricing', '<h1>Pricing</h1><a id="home" href="/index.html">Home</a>'),
    );
    writeFileSync(join(site, 'thanks.html'), page('Thanks', '<h1>Thanks</h1>'));
    writeFileSync(join(site, 'blank.html'), '<!doctype html><title>Blank</title>');
    writeFileSync(
      join(site, 'required.html'),
      `<!doctype html><html><head><title>Required</title>${tag(origin).replace('<script ', '<script data-consent="required" ')}</head><body><button data-ll-cta="demo" id="cta">Demo</button></body></html>`,
    );
    // A site that enforces Trusted Types for script URLs and allows one policy name, `leadlight` (once), with
    // the queue in the page: leadlight.js must load both of its chunks through that one policy.
    writeFileSync(
      join(site, 'trusted-types.html'),
      `<!doctype html><html><head><title>Trusted Types</title>
      <meta http-equiv="Content-Security-Policy" content="script-src 'self'; require-trusted-types-for 'script'; trusted-types leadlight">
      ${tag(origin).replace(' data-sw="/leadlight-sw.js"', '')}</head>
      <body><a id="guide" href="/files/guide.pdf" download>Guide</a><div data-ll-if="download:guide.pdf">Thanks</div></body></html>`,
    );
    // Emails, OAuth values and URL signatures in the page's URL, its title and its links (the test adds
    // `?email=…&code=…#access_token=…&state=…` when it loads the page); the site redacts member_id too (on every
    // page: the invite link leads back here, so the next page view's referrer is redacted with the same names).
    writeFileSync(
      join(site, 'redact.html'),
      `<!doctype html><html><head><title>Account of jane@acme.com</title>
      ${tag(origin).replace('<script ', '<script data-redact-params="member_id" ')}</head><body>
      <a id="report" href="/files/guide.pdf?for=jane%40acme.com&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${SIGNATURE}" download>Report</a>
      <a id="invite" data-ll-cta="invite" href="/redact.html?to=jane%2540acme.com&X-Amz-Credential=AKIA%2Fzq&X-Amz-Signature=${SIGNATURE}">Invite</a>
      </body></html>`,
    );
    writeFileSync(join(site, 'files', 'guide.pdf'), '%PDF-1.4 test');
    collector = await startCollector({
      config: {
        sites: [{ siteKey: 'pk_sdk', secretKey: SECRET, origins: [origin], model: MODEL, bots: 'score' }],
      },
      dbPath: join(dir, 'collector.db'),
      port,
      staticDir: site,
    });
    browser = await launchBrowser();
    const record = (request: Request) => {
      const body = request.postData();
      if (body) bodies.push(body);
    };
    // Page requests and the service worker's own requests both count.
    browser.context.on('request', record);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await collector?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const stored = (anonymousId: string) => storedEvents(collector, SECRET, anonymousId);
  /** Engagement events depend on how long a page stayed open: the tests that do not measure it leave them out. */
  const types = async (anonymousId: string) =>
    (await stored(anonymousId))
      .map((e) => e.type)
      .filter((t) => t !== 'engagement')
      .sort();

  it('captures a visit end to end and never sends password, card or hidden values', async () => {
    const page: Page = await browser.context.newPage();
    await page.goto(`${origin}/index.html`);
    await sdkLoaded(page);
    const anonymousId = await page.evaluate(() =>
      (window as unknown as { leadlight: { anonymousId(): string } }).leadlight.anonymousId(),
    );
    expect(anonymousId).toMatch(/^[0-9a-f-]{36}$/);

    await page.click('#demo-label');
    const download = page.waitForEvent('download');
    await page.click('#guide-label');
    await download;
    await page.fill('#company', 'Acme Inc');
    await page.fill('#email', 'ada@example.com');
    await page.fill('#password', PASSWORD);
    await page.fill('#card', CARD);
    await Promise.all([page.waitForURL('**/thanks.html?**'), page.click('#submit')]);
    // The next page (a full navigation) keeps the visitor and delivers what the previous one queued.
    await sdkLoaded(page);
    expect(
      await page.evaluate(() =>
        (window as unknown as { leadlight: { anonymousId(): string } }).leadlight.anonymousId(),
      ),
    ).toBe(anonymousId);
    await page.evaluate(() =>
      (window as unknown as { leadlight: { flush(): Promise<unknown> } }).leadlight.flush(),
    );

    await expect
      .poll(() => types(anonymousId), { timeout: 45_000, interval: 500 })
      .toEqual(
        [
          'cta_click',
          'download',
          'form_start',
          'form_submit',
          'identify',
          'page_view',
          'page_view',
          'session_start',
        ].sort(),
      );
    const events = await stored(anonymousId);
    const byType = (t: string) => events.find((e) => e.type === t);
    expect(byType('cta_click')?.props).toMatchObject({ cta: 'demo' });
    expect(byType('download')?.props).toMatchObject({ file: 'guide.pdf', ext: 'pdf' });
    expect(byType('form_submit')?.props).toMatchObject({ form: 'signup', fields: ['company', 'email'] });
    expect(byType('identify')?.traits).toEqual({ email: 'ada@example.com' });
    expect(events.filter((e) => e.type === 'page_view').map((e) => e.path)).toEqual([
      '/index.html',
      '/thanks.html',
    ]);
    expect(new Set(events.map((e) => e.sessionId)).size).toBe(1);

    expect(bodies.some((b) => b.includes('"siteKey":"pk_sdk"'))).toBe(true);
    expect(bodies.some((b) => b.includes('"automated":true'))).toBe(true);
    const everything = bodies.join('\n') + JSON.stringify(events);
    for (const secret of [PASSWORD, CARD, HIDDEN]) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(encodeURIComponent(secret));
    }
    // The GET form put every field in the thanks page's URL: the sensitive ones are redacted there.
    expect(events.find((e) => e.path === '/thanks.html')?.url).toContain('password=[redacted]');
    await page.close();
  }, 90_000);

  it('sees keyboard and middle-button activation and the pointer leaving through the top', async () => {
    // Same profile, same visitor as before: look only at what this test adds.
    const since = Date.now();
    const page = await browser.context.newPage();
    await page.goto(`${origin}/index.html`);
    await sdkLoaded(page);
    const anonymousId = await page.evaluate(() =>
      (window as unknown as { leadlight: { anonymousId(): string } }).leadlight.anonymousId(),
    );
    const download = page.waitForEvent('download');
    await page.focus('#guide');
    await page.keyboard.press('Enter');
    await download;
    const box = (await page.locator('#demo-label').boundingBox())!;
    await page.mouse.click(box.x + 5, box.y + 5, { button: 'middle' });
    await page.mouse.move(200, 200);
    await page.mouse.move(200, -10, { steps: 4 });
    await page.mouse.move(200, 200);
    await page.mouse.move(200, -10, { steps: 4 });
    await page.evaluate(() =>
      (window as unknown as { leadlight: { flush(): Promise<unknown> } }).leadlight.flush(),
    );
    await expect
      .poll(
        async () =>
          (await stored(anonymousId))
            .filter((e) => e.ts >= since && e.type !== 'engagement')
            .map((e) => e.type)
            .sort(),
        {
          timeout: 30_000,
          interval: 500,
        },
      )
      .toEqual(['cta_click', 'download', 'exit_intent', 'page_view']);
    await page.close();
  }, 90_000);

  it('with consent "required", stores and sends nothing until granted, then sends what the page saw', async () => {
    // A first-time visitor: no cookie, no storage, no service worker from the earlier tests.
    const page = await browser.context.newPage();
    await page.goto(`${origin}/blank.html`);
    await page.evaluate(async () => {
      localStorage.clear();
      for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
    });
    await browser.context.clearCookies();
    const before = bodies.length;
    await page.goto(`${origin}/required.html`);
    await sdkLoaded(page);
    await page.click('#cta');
    const footprint = () =>
      page.evaluate(async () => ({
        cookies: document.cookie,
        storage: Object.keys(localStorage),
        workers: (await navigator.serviceWorker.getRegistrations()).length,
        anonymousId: (window as unknown as { leadlight: { anonymousId(): unknown } }).leadlight.anonymousId(),
      }));
    expect(await footprint()).toEqual({ cookies: '', storage: [], workers: 0, anonymousId: undefined });
    await page.evaluate(() =>
      (window as unknown as { leadlight: { flush(): Promise<unknown> } }).leadlight.flush(),
    );
    // Nothing of this page. (The earlier tests' visitor may still be delivering, legitimately: the last page
    // it closed handed its engagement event to the worker unregistered above, which sends a second later.)
    expect(bodies.slice(before).filter((b) => b.includes('/required.html'))).toEqual([]);

    await page.evaluate(() =>
      (window as unknown as { leadlight: { consent(c: string): void } }).leadlight.consent('granted'),
    );
    const anonymousId = await page.evaluate(() =>
      (window as unknown as { leadlight: { anonymousId(): string } }).leadlight.anonymousId(),
    );
    expect(anonymousId).toMatch(/^[0-9a-f-]{36}$/);
    await page.evaluate(() =>
      (window as unknown as { leadlight: { flush(): Promise<unknown> } }).leadlight.flush(),
    );
    await expect
      .poll(async () => (await stored(anonymousId)).map((e) => `${e.type}:${e.path}`).sort(), {
        timeout: 30_000,
        interval: 500,
      })
      .toEqual(['cta_click:/required.html', 'page_view:/required.html', 'session_start:/required.html']);
    await page.close();
  }, 90_000);

  it('counts SPA navigations and UTM parameters, and a denied consent stops sending', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/pricing.html?utm_source=newsletter&utm_medium=email`);
    await sdkLoaded(page);
    const anonymousId = await page.evaluate(() =>
      (window as unknown as { leadlight: { anonymousId(): string } }).leadlight.anonymousId(),
    );
    await page.evaluate(() => history.pushState(null, '', '/pricing/enterprise'));
    await page.evaluate(() =>
      (window as unknown as { leadlight: { flush(): Promise<unknown> } }).leadlight.flush(),
    );
    await expect
      .poll(
        async () =>
          (await stored(anonymousId))
            .filter((e) => e.type === 'page_view' && e.path?.startsWith('/pricing'))
            .map((e) => e.path),
        {
          timeout: 30_000,
          interval: 500,
        },
      )
      .toEqual(['/pricing.html', '/pricing/enterprise']);
    const first = (await stored(anonymousId)).find(
      (e) => e.type === 'page_view' && e.path === '/pricing.html',
    );
    expect(first?.props).toEqual({ utm_source: 'newsletter', utm_medium: 'email' });

    // Everything captured before the denial is acknowledged first, so what follows tests the denial alone.
    await page.evaluate(() =>
      (window as unknown as { leadlight: { flush(): Promise<unknown> } }).leadlight.flush(),
    );
    const deniedAt = await page.evaluate(() => {
      const ll = (window as unknown as { leadlight: { consent(c: string): void; track(t: string): void } })
        .leadlight;
      const at = Date.now();
      ll.consent('denied');
      ll.track('after_denial');
      return at;
    });
    expect(await page.evaluate(() => document.cookie)).toBe('ll_consent=denied');
    await page.goto(`${origin}/pricing.html`);
    await sdkLoaded(page);
    expect(
      await page.evaluate(() =>
        (window as unknown as { leadlight: { anonymousId(): unknown } }).leadlight.anonymousId(),
      ),
    ).toBeUndefined();
    await page.evaluate(() =>
      (window as unknown as { leadlight: { flush(): Promise<unknown> } }).leadlight.flush(),
    );
    // Denied: no batch was built afterwards (by any queue: what was still queued, of any visitor, was purged),
    // so neither the new page view nor the tracked event was sent. A batch built before the denial may be
    // reported here late (the browser tells of a worker's requests asynchronously): its sentAt says when.
    const sentAfter = bodies
      .map((b): { sentAt?: number; events?: unknown[] } => {
        try {
          return JSON.parse(b);
        } catch {
          return { events: [b] };
        }
      })
      .filter((b) => b.events && (b.sentAt ?? deniedAt) >= deniedAt);
    expect(sentAfter).toEqual([]);
    expect(bodies.some((b) => b.includes('after_denial'))).toBe(false);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ll_')))).toEqual([
      'll_consent',
    ]);
    await page.close();
  }, 90_000);

  it('loads its chunks through a Trusted Types policy on a page that enforces them', async () => {
    const page = await browser.context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Trusted|Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    // A new visitor: the test before left a denied consent in this browser profile.
    await browser.context.clearCookies();
    await page.goto(`${origin}/blank.html`);
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${origin}/trusted-types.html`);
    await sdkLoaded(page);
    const anonymousId = await page.evaluate(() =>
      (window as unknown as { leadlight: { anonymousId(): string } }).leadlight.anonymousId(),
    );
    const download = page.waitForEvent('download');
    await page.click('#guide');
    await download;
    // The personalization chunk decided the block, and the in-page queue delivered both events.
    await expect.poll(() => page.locator('[data-ll-if]').isVisible(), { timeout: 20_000 }).toBe(true);
    await page.evaluate(() =>
      (window as unknown as { leadlight: { flush(): Promise<unknown> } }).leadlight.flush(),
    );
    await expect
      .poll(() => types(anonymousId), { timeout: 30_000 })
      .toEqual(['download', 'page_view', 'session_start']);
    expect(violations).toEqual([]);
    await page.close();
  }, 90_000);
  it('never sends emails, OAuth values or URL signatures from the URL, the title or the links', async () => {
    // A new visitor: earlier tests left their own in this browser profile.
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(`${origin}/blank.html`);
    await page.evaluate(() => localStorage.clear());
    const before = bodies.length;
    await page.goto(
      `${origin}/redact.html?email=jane@acme.com&utm_source=news&code=abc&member_id=zq7member#access_token=xyz&state=s1`,
    );
    await sdkLoaded(page);
    const anonymousId = await page.evaluate(() =>
      (window as unknown as { leadlight: { anonymousId(): string } }).leadlight.anonymousId(),
    );
    const download = page.waitForEvent('download');
    await page.click('#report');
    await download;
    await Promise.all([page.waitForURL('**/redact.html?to=**'), page.click('#invite')]);
    await sdkLoaded(page);
    await page.evaluate(() =>
      (window as unknown as { leadlight: { flush(): Promise<unknown> } }).leadlight.flush(),
    );
    await expect
      .poll(() => types(anonymousId), { timeout: 30_000 })
      .toEqual(['cta_click', 'download', 'page_view', 'page_view', 'session_start']);

    const events = await stored(anonymousId);
    const [landing, next] = events.filter((e) => e.type === 'page_view').sort((a, b) => a.ts - b.ts);
    expect(landing).toMatchObject({
      url: `${origin}/redact.html?email=[redacted]&utm_source=news&code=[redacted]&member_id=[redacted]#access_token=[redacted]&state=[redacted]`,
      title: 'Account of [email]',
      props: { utm_source: 'news' },
    });
    expect(events.find((e) => e.type === 'download')?.props?.href).toBe(
      `${origin}/files/guide.pdf?for=[email]&X-Amz-Algorithm=[redacted]&X-Amz-Signature=[redacted]`,
    );
    expect(events.find((e) => e.type === 'cta_click')?.props).toEqual({
      cta: 'invite',
      href: `${origin}/redact.html?to=[email]&X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]`,
    });
    // The browser drops the fragment from document.referrer; the query is redacted like the URL was.
    expect(next?.referrer).toBe(
      `${origin}/redact.html?email=[redacted]&utm_source=news&code=[redacted]&member_id=[redacted]`,
    );

    const sent = bodies.slice(before);
    expect(sent.some((b) => b.includes('utm_source=news'))).toBe(true);
    for (const everything of [sent.join('\n'), JSON.stringify(events)]) {
      expect(everything).toContain('utm_source=news');
      expect(everything.toLowerCase()).not.toContain('jane');
      expect(everything).not.toContain(SIGNATURE);
      expect(everything).not.toContain('zq7member');
      expect(everything).not.toContain('AKIA');
      // Whole values only: "abc" may occur inside a hexadecimal id.
      for (const value of ['abc', 'xyz', 's1']) {
        expect(everything).not.toMatch(new RegExp(`(^|[^0-9a-z])${value}($|[^0-9a-z])`, 'i'));
      }
    }
    await page.close();
  }, 90_000);
});
