import { describe, expect, it } from 'vitest';
import { validateConfig } from '../validateConfig.js';

const site = (spend: unknown) => ({
  siteKey: 'pk_one',
  secretKey: 'sk_one_secret_0123',
  origins: ['https://one.example'],
  model: { version: 'v1', rules: [], fit: [], mql: { total: 10 } },
  spend,
});

function problems(spend: unknown): string[] {
  const result = validateConfig({ sites: [site(spend)] });
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('site config spend', () => {
  it('keeps amounts per channel and campaign, names lower-cased as the review shows them', () => {
    const result = validateConfig({
      sites: [
        site({ currency: 'EUR', channels: { 'Google / CPC': 1200, direct: 0 }, campaigns: { brand: 300 } }),
      ],
    });
    expect(result.ok && result.config.sites[0]?.spend).toEqual({
      currency: 'EUR',
      channels: { 'google / cpc': 1200, direct: 0 },
      campaigns: { brand: 300 },
    });
    const without = validateConfig({ sites: [{ ...site(undefined), spend: undefined }] });
    expect(without.ok && without.config.sites[0]?.spend).toBeUndefined();
  });

  it('reports each problem with its exact path', () => {
    expect(
      problems({ currency: 'euro', channels: { 'google / cpc': -5, x: '12' }, campaigns: [], extra: 1 }),
    ).toEqual([
      'sites[0].spend.extra: unknown field (allowed: currency, channels, campaigns)',
      'sites[0].spend.currency: expected a three-letter currency code like "EUR", got "euro"',
      'sites[0].spend.channels["google / cpc"]: expected a non-negative amount, got -5',
      'sites[0].spend.channels["x"]: expected a non-negative amount, got "12"',
      'sites[0].spend.campaigns: expected an object of names to amounts, e.g. {"google / cpc": 1200}',
    ]);
    expect(problems(12)).toEqual(['sites[0].spend: expected an object {currency, channels?, campaigns?}']);
  });
});
