import { describe, expect, it } from 'vitest';
import { validateConfig } from './validateConfig.js';

const model = {
  version: 'v1',
  rules: [{ id: 'r', event: 'page_view', points: 1 }],
  fit: [],
  mql: { total: 10 },
};
const site = (extra: Record<string, unknown> = {}) => ({
  siteKey: 'pk_one',
  secretKey: 'sk_one_secret',
  origins: ['https://one.example', 'http://localhost:8787'],
  model,
  ...extra,
});

function problems(input: unknown): string[] {
  const result = validateConfig(input);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('validateConfig', () => {
  it('accepts a good config and fills defaults', () => {
    const result = validateConfig({
      sites: [site({ webhooks: [{ url: 'https://crm.example/hook', secret: 'whsec_12345678' }] })],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const s = result.config.sites[0]!;
    expect(s.bots).toBe('ignore');
    expect(s.webhooks[0]?.events).toEqual(['lead.mql', 'lead.stage_changed']);
    expect(s.rateLimit.perMinute).toBeGreaterThan(0);
  });

  it('reports every problem with its exact path', () => {
    const errors = problems({
      sites: [
        site({
          colour: 'red',
          bots: 'maybe',
          origins: ['https://ok.example', 'https://bad.example/path', '*', 42],
          model: {
            ...model,
            rules: [model.rules[0], model.rules[0], { id: 'x', event: 'page_view', points: 'many' }],
          },
          webhooks: [{ url: 'ftp://x', secret: 'short', events: ['lead.won'], extra: 1 }],
          rateLimit: { perMinute: 0 },
        }),
      ],
      extra: true,
    });
    const paths = errors.map((e) => e.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'extra',
        'sites[0].colour',
        'sites[0].bots',
        'sites[0].origins[1]',
        'sites[0].origins[2]',
        'sites[0].origins[3]',
        'sites[0].model.rules[2].points',
        'sites[0].webhooks[0].url',
        'sites[0].webhooks[0].secret',
        'sites[0].webhooks[0].events[0]',
        'sites[0].webhooks[0].extra',
        'sites[0].rateLimit.perMinute',
      ]),
    );
    expect(errors.some((e) => e.startsWith('sites[0].model.rules[1]'))).toBe(true);
  });

  it('refuses duplicate keys and a site key equal to any secret key', () => {
    expect(problems({ sites: [site(), site({ secretKey: 'sk_two_secret' })] })).toContain(
      'sites[1].siteKey: duplicate site key (also sites[0].siteKey)',
    );
    expect(problems({ sites: [site(), site({ siteKey: 'pk_two' })] })).toContain(
      'sites[1].secretKey: duplicate secret key (also sites[0].secretKey)',
    );
    expect(
      problems({ sites: [site(), site({ siteKey: 'sk_one_secret', secretKey: 'sk_other' })] })[0],
    ).toMatch(/^sites\[1\]\.siteKey: equals the secret key of sites\[0\]/);
  });

  it('refuses a missing or empty site list and a site without a model', () => {
    expect(problems({})).toEqual(['sites: expected a non-empty list of sites, got undefined']);
    expect(problems([])[0]).toMatch(/^\(root\)/);
    expect(problems({ sites: [site({ model: undefined })] })).toEqual([
      'sites[0].model: missing: every site needs a scoring model (DESIGN.md §3)',
    ]);
  });
});
