import { describe, expect, it } from 'vitest';
import { validateConfig } from '../validateConfig.js';
import { accountDomainOf } from './accountDomainOf.js';
import { validateAccountsConfig } from './validateAccountsConfig.js';

describe('accountDomainOf', () => {
  it('answers the work-email domain, never a free-mail one from the maintained list', () => {
    expect(accountDomainOf('ann@acme.com', undefined)).toBe('acme.com');
    expect(accountDomainOf('ann@sub.acme.co.uk', undefined)).toBe('sub.acme.co.uk');
    for (const free of [
      'gmail.com',
      'outlook.com',
      'hotmail.com',
      'yahoo.co.uk',
      'icloud.com',
      'proton.me',
      'qq.com',
      '163.com',
      '126.com',
      'yandex.ru',
      'gmx.de',
      'mail.ru',
    ])
      expect(accountDomainOf(`someone@${free}`, undefined), free).toBeNull();
    expect(accountDomainOf(null, undefined)).toBeNull();
    expect(accountDomainOf('not-an-email', undefined)).toBeNull();
    expect(accountDomainOf('root@localhost', undefined)).toBeNull();
  });

  it('lets a site deny its own domains and allow listed ones', () => {
    const config = { allowDomains: ['mail.com'], denyDomains: ['acme.com'] };
    expect(accountDomainOf('ann@acme.com', config)).toBeNull();
    expect(accountDomainOf('mo@mail.com', config)).toBe('mail.com');
    expect(accountDomainOf('mo@mail.com', undefined)).toBeNull();
  });
});

describe('validateAccountsConfig', () => {
  it('lower-cases domains and names every bad one by path', () => {
    const out: { path: string; message: string }[] = [];
    expect(validateAccountsConfig({ allowDomains: [' Mail.COM '] }, 'sites[0].accounts', out)).toEqual({
      allowDomains: ['mail.com'],
      denyDomains: [],
    });
    validateAccountsConfig(
      { denyDomains: ['ok.example', 'not a domain', 7], extra: true, allowDomains: 'x.com' },
      'sites[0].accounts',
      out,
    );
    expect(out.map((p) => p.path)).toEqual([
      'sites[0].accounts.denyDomains[1]',
      'sites[0].accounts.denyDomains[2]',
      'sites[0].accounts.extra',
      'sites[0].accounts.allowDomains',
    ]);
    expect(out[0]?.message).toBe('expected a domain like "example.com", got "not a domain"');
  });

  it('is part of the site config, beside webhooks that ask for account.mqa', () => {
    const site = {
      siteKey: 'pk_a',
      secretKey: 'sk_a_secret_0123456',
      origins: ['https://a.test'],
      model: { version: 'v', rules: [], mql: { total: 1 } },
    };
    const good = validateConfig({
      sites: [
        {
          ...site,
          accounts: { denyDomains: ['a.test'] },
          webhooks: [{ url: 'https://h.test', secret: 'whsec_12345', events: ['account.mqa'] }],
        },
      ],
    });
    expect(good.ok).toBe(true);
    const bad = validateConfig({ sites: [{ ...site, accounts: [] }] });
    expect(bad.ok ? [] : bad.errors.map((p) => p.path)).toEqual(['sites[0].accounts']);
  });
});
