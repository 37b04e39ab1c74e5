import { describe, expect, it } from 'vitest';
import { validateModel } from './validateModel.js';

const base = {
  version: 'v1',
  rules: [{ id: 'pricing', event: 'page_view', points: 10 }],
  fit: [{ id: 'vp', trait: 'role', equals: 'vp', points: 10 }],
  mql: { total: 50 },
};

function errorsOf(accounts: unknown) {
  const result = validateModel({ ...base, accounts });
  return result.ok ? [] : result.errors;
}

describe('validateModel: accounts', () => {
  it('keeps a valid accounts section, and a model without one has none', () => {
    const accounts = {
      fit: [
        { id: 'big', trait: 'companySize', gte: 200, points: 20 },
        { id: 'saas', trait: 'industry', in: ['software', 'saas'], points: 10 },
      ],
      mqa: { total: 60, contacts: 2 },
    };
    const result = validateModel({ ...base, accounts });
    expect(result).toEqual({ ok: true, model: { ...base, accounts } });
    const without = validateModel(base);
    expect(without.ok && 'accounts' in without.model).toBe(false);
  });

  it('fills in an empty fit list', () => {
    const result = validateModel({ ...base, accounts: { mqa: { contacts: 3 } } });
    expect(result.ok && result.model.accounts).toEqual({ fit: [], mqa: { contacts: 3 } });
  });

  it.each([
    ['not an object', 7, 'accounts', 'expected {"fit"'],
    ['an unknown key', { mqa: { total: 1 }, size: 1 }, 'accounts.size', 'unknown field'],
    ['no mqa', { fit: [] }, 'accounts.mqa', 'required: MQA thresholds'],
    ['an empty mqa', { mqa: {} }, 'accounts.mqa', 'give at least one threshold'],
    ['an unknown threshold', { mqa: { total: 1, people: 2 } }, 'accounts.mqa.people', 'unknown field'],
    ['a fractional contacts count', { mqa: { contacts: 1.5 } }, 'accounts.mqa.contacts', 'whole number'],
    ['zero contacts', { mqa: { contacts: 0 } }, 'accounts.mqa.contacts', 'whole number'],
    ['a text total', { mqa: { total: '60' } }, 'accounts.mqa.total', 'a number of points'],
    ['fit not a list', { fit: {}, mqa: { total: 1 } }, 'accounts.fit', 'expected a list'],
    [
      'a fit rule with two operators',
      { fit: [{ id: 'x', trait: 'industry', equals: 'a', in: ['b'], points: 1 }], mqa: { total: 1 } },
      'accounts.fit[0]',
      'one operator',
    ],
    [
      'a fit rule without points',
      { fit: [{ id: 'x', trait: 'industry', equals: 'a' }], mqa: { total: 1 } },
      'accounts.fit[0].points',
      'finite number of points',
    ],
    [
      'a fit id already used by a contact rule',
      { fit: [{ id: 'vp', trait: 'industry', exists: true, points: 1 }], mqa: { total: 1 } },
      'accounts.fit[0].id',
      'duplicate rule id "vp"',
    ],
  ])('refuses %s with its exact path', (_name, accounts, path, message) => {
    const errors = errorsOf(accounts);
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.find((e) => e.path === path)?.message).toContain(message);
  });
});
