import type { TrackedEvent } from '@leadlight/scoring-core';
import { describe, expect, it } from 'vitest';
import { firstTouchChannel } from './firstTouchChannel.js';
import { isBotUserAgent } from './isBotUserAgent.js';
import { parseCliArgs } from './parseCliArgs.js';
import { RateLimiter } from './rateLimiter.js';
import { signWebhook, verifyWebhook } from './signWebhook.js';

const page = (extra: Partial<TrackedEvent>): TrackedEvent => ({
  id: '1',
  type: 'page_view',
  ts: 1,
  anonymousId: 'a',
  ...extra,
});

describe('firstTouchChannel', () => {
  it('prefers UTM, then an external referrer domain, else direct', () => {
    expect(firstTouchChannel(page({ props: { utm_source: 'Google', utm_medium: 'CPC' } }))).toBe(
      'google / cpc',
    );
    expect(firstTouchChannel(page({ props: { utm_source: 'newsletter' } }))).toBe('newsletter / (none)');
    expect(
      firstTouchChannel(page({ referrer: 'https://www.linkedin.com/feed/', url: 'https://shop.example/' })),
    ).toBe('linkedin.com');
    expect(
      firstTouchChannel(page({ referrer: 'https://shop.example/a', url: 'https://shop.example/b' })),
    ).toBe('direct');
    expect(firstTouchChannel(page({ referrer: 'not a url' }))).toBe('direct');
    expect(firstTouchChannel(page({}))).toBe('direct');
  });
});

describe('isBotUserAgent', () => {
  it('knows crawlers, HTTP libraries and automated browsers, not people', () => {
    for (const ua of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36',
      'curl/8.4.0',
      'python-requests/2.31',
      '',
      undefined,
    ]) {
      expect(isBotUserAgent(ua), String(ua)).toBe(true);
    }
    for (const ua of [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
    ]) {
      expect(isBotUserAgent(ua), ua).toBe(false);
    }
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const limit = { perMinute: 60, burst: 2 };
    expect([limiter.take('k', limit), limiter.take('k', limit), limiter.take('k', limit)]).toEqual([0, 0, 1]);
    expect(limiter.take('other', limit)).toBe(0);
    now += 1000;
    expect(limiter.take('k', limit)).toBe(0);
    expect(limiter.take('k', limit)).toBe(1);
  });

  it('looks at a bucket without taking from it', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const limit = { perMinute: 10, burst: 2 };
    expect(limiter.wait('k', limit)).toBe(0);
    limiter.take('k', limit);
    expect([limiter.wait('k', limit), limiter.wait('k', limit)]).toEqual([0, 0]);
    limiter.take('k', limit);
    expect(limiter.wait('k', limit)).toBe(6);
    now += 3000;
    expect(limiter.wait('k', limit)).toBe(3);
    now += 3000;
    expect(limiter.wait('k', limit)).toBe(0);
  });
});

describe('signWebhook', () => {
  it('signs t.body and verifies within the tolerance only', () => {
    const header = signWebhook('whsec_abcdefgh', '{"a":1}', 1_700_000_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook('whsec_abcdefgh', '{"a":1}', header, 1_700_000_100_000)).toBe(true);
    expect(verifyWebhook('whsec_abcdefgh', '{"a":1}', header, 1_700_000_400_000)).toBe(false);
    expect(verifyWebhook('whsec_abcdefgh', '{"a":2}', header, 1_700_000_000_000)).toBe(false);
    expect(verifyWebhook('whsec_abcdefgh', '{"a":1}', 'garbage', 1_700_000_000_000)).toBe(false);
  });
});

describe('parseCliArgs', () => {
  it('reads flags over the environment, with defaults', () => {
    expect(parseCliArgs([], {})).toMatchObject({
      port: 8787,
      host: 'localhost',
      dbPath: './data/leadlight.db',
      configPath: './leadlight.config.json',
    });
    expect(
      parseCliArgs(['--port=9000', '--db', 'x.db'], {
        PORT: '1',
        LEADLIGHT_DB: 'y.db',
        LEADLIGHT_CONFIG: 'c.json',
      }),
    ).toMatchObject({
      port: 9000,
      dbPath: 'x.db',
      configPath: 'c.json',
    });
    expect(parseCliArgs([], { DATABASE_URL: 'postgres://u@h/db' }).databaseUrl).toBe('postgres://u@h/db');
    expect(() => parseCliArgs(['--port', '1', '--port', '2'], {})).toThrow('--port: given twice');
    expect(() => parseCliArgs(['--db', '--port'], {})).toThrow('--db: expected a value');
  });

  it('trusts a proxy only when asked, by flag or LEADLIGHT_TRUST_PROXY=1', () => {
    expect(parseCliArgs([], {}).trustProxy).toBe(false);
    expect(parseCliArgs([], { LEADLIGHT_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(parseCliArgs([], { LEADLIGHT_TRUST_PROXY: '1' }).trustProxy).toBe(true);
    expect(parseCliArgs(['--trust-proxy'], { LEADLIGHT_TRUST_PROXY: '0' }).trustProxy).toBe(true);
    expect(() => parseCliArgs(['--trust-proxy=1'], {})).toThrow('--trust-proxy: takes no value');
    expect(() => parseCliArgs(['--trust-proxy', '--trust-proxy'], {})).toThrow('--trust-proxy: given twice');
    expect(() => parseCliArgs([], { LEADLIGHT_TRUST_PROXY: 'yes' })).toThrow(
      'LEADLIGHT_TRUST_PROXY: expected 1 or 0, got "yes"',
    );
  });
});
