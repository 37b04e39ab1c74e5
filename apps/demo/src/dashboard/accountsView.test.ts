import { describe, expect, it } from 'vitest';
import { accountTitle, topRules } from './accountsView.js';

describe('accounts view helpers', () => {
  it('names what a member did by its top engagement rules, labelled, highest first', () => {
    const breakdown = [
      { rule: 'pricing', kind: 'engagement', points: 20 },
      { rule: 'big-company', kind: 'fit', points: 15 },
      { rule: 'whitepaper', kind: 'engagement', points: 5 },
      { rule: 'careers', kind: 'engagement', points: -10 },
      { rule: 'demo-request', kind: 'engagement', points: 20.5 },
      { rule: 'webinar', kind: 'engagement', points: 1 },
    ];
    const labels = new Map([['pricing', 'Viewed pricing']]);
    expect(topRules(breakdown, labels)).toEqual([
      'demo-request (+20.5)',
      'Viewed pricing (+20)',
      'whitepaper (+5)',
    ]);
    expect(topRules([], labels)).toEqual([]);
  });

  it('titles an account by its name, else its domain, else its id', () => {
    expect(accountTitle({ id: 'acme.com', domain: 'acme.com', name: 'Acme' })).toBe('Acme');
    expect(accountTitle({ id: 'acme.com', domain: 'acme.com' })).toBe('acme.com');
    expect(accountTitle({ id: 'crm-42' })).toBe('crm-42');
  });
});
