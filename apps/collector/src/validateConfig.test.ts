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
  secretKey: 'sk_one_secret_0123',
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
    expect(problems({ sites: [site(), site({ secretKey: 'sk_two_secret_0123' })] })).toContain(
      'sites[1].siteKey: duplicate site key (also sites[0].siteKey)',
    );
    expect(problems({ sites: [site(), site({ siteKey: 'pk_two' })] })).toContain(
      'sites[1].secretKey: duplicate secret key (also sites[0].secretKey)',
    );
    expect(
      problems({
        sites: [site(), site({ siteKey: 'sk_one_secret_0123', secretKey: 'sk_other_secret_0123' })],
      })[0],
    ).toMatch(/^sites\[1\]\.siteKey: equals the secret key of sites\[0\]/);
  });

  it('refuses secret keys shorter than 16 characters, saying how to make one, without echoing it', () => {
    const [error, ...rest] = problems({ sites: [site({ secretKey: 'sk_short' })] });
    expect(rest).toEqual([]);
    expect(error).toBe(
      'sites[0].secretKey: too short (8 characters): use at least 16 random characters; generate one with: ' +
        `node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))" or: openssl rand -hex 24`,
    );
    expect(problems({ sites: [site({ secretKey: 'x'.repeat(16) })] })).toEqual([]);
  });

  it('takes an optional identity secret (≥ 16 characters) and verification period (default 30 days)', () => {
    const plain = validateConfig({ sites: [site()] });
    expect(plain.ok && plain.config.sites[0]).toMatchObject({ identityVerificationDays: 30 });
    expect(plain.ok && plain.config.sites[0]?.identitySecret).toBeUndefined();
    const set = validateConfig({
      sites: [site({ identitySecret: 'id_secret_0123456789', identityVerificationDays: 7.5 })],
    });
    expect(set.ok && set.config.sites[0]).toMatchObject({
      identitySecret: 'id_secret_0123456789',
      identityVerificationDays: 7.5,
    });
    expect(problems({ sites: [site({ identitySecret: 'short', identityVerificationDays: 0 })] })).toEqual([
      expect.stringMatching(
        /^sites\[0\]\.identitySecret: too short \(5 characters\): use at least 16 random characters; generate one with: node -e /,
      ),
      'sites[0].identityVerificationDays: expected a positive number of days, got 0',
    ]);
    expect(problems({ sites: [site({ identitySecret: 42, identityVerificationDays: '30' })] })).toEqual([
      'sites[0].identitySecret: expected a string of at least 16 characters, got 42',
      'sites[0].identityVerificationDays: expected a positive number of days, got "30"',
    ]);
    expect(
      problems({
        sites: [site({ siteKey: 'pk_public_but_long_enough', identitySecret: 'pk_public_but_long_enough' })],
      }),
    ).toEqual([
      'sites[0].identitySecret: equals the site key of sites[0]: site keys are public, so anyone could sign identity tokens',
    ]);
  });

  it('takes an optional retentionDays (whole days) and erasure.suppress, and lead.erased webhooks by name', () => {
    const plain = validateConfig({ sites: [site()] });
    expect(plain.ok && plain.config.sites[0]).toMatchObject({ erasure: { suppress: false } });
    expect(plain.ok && plain.config.sites[0]?.retentionDays).toBeUndefined();
    const set = validateConfig({
      sites: [
        site({
          retentionDays: 395,
          erasure: { suppress: true },
          webhooks: [{ url: 'https://crm.example/hook', secret: 'whsec_12345678', events: ['lead.erased'] }],
        }),
      ],
    });
    expect(set.ok && set.config.sites[0]).toMatchObject({
      retentionDays: 395,
      erasure: { suppress: true },
      webhooks: [{ events: ['lead.erased'] }],
    });
    expect(
      problems({ sites: [site({ retentionDays: 0, erasure: { suppress: 'yes', forget: true } })] }),
    ).toEqual([
      'sites[0].retentionDays: expected a whole number of days from 1 to 36500, got 0',
      'sites[0].erasure.forget: unknown field (allowed: suppress)',
      'sites[0].erasure.suppress: expected true or false, got "yes"',
    ]);
    expect(problems({ sites: [site({ retentionDays: 1.5, erasure: true })] })).toEqual([
      'sites[0].retentionDays: expected a whole number of days from 1 to 36500, got 1.5',
      'sites[0].erasure: expected an object {suppress}, got true',
    ]);
    expect(problems({ sites: [site({ retentionDays: '30' })] })).toEqual([
      'sites[0].retentionDays: expected a whole number of days from 1 to 36500, got "30"',
    ]);
  });

  it('refuses a missing or empty site list and a site without a model', () => {
    expect(problems({})).toEqual(['sites: expected a non-empty list of sites, got undefined']);
    expect(problems([])[0]).toMatch(/^\(root\)/);
    expect(problems({ sites: [site({ model: undefined })] })).toEqual([
      'sites[0].model: missing: every site needs a scoring model (DESIGN.md §3)',
    ]);
  });
});
