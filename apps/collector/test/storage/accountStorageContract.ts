import { hashModel, type ScoringModel } from '@leadlight/scoring-core';
import { accountResultOf, createAccountState, setAccountMember } from '@leadlight/scoring-core/accounts';
import { describe, expect, it } from 'vitest';
import type { AccountRecord } from '../../src/storage/accountStorage.js';
import type { Storage } from '../../src/storage/storage.js';
import { type StorageHarness, useStorageHarness } from './storageHarness.js';

const MODEL: ScoringModel = {
  version: 'accounts-contract-1',
  rules: [{ id: 'any', event: 'page_view', points: 1 }],
  fit: [],
  mql: { total: 100 },
  accounts: { fit: [], mqa: { contacts: 2 } },
};

function account(siteKey: string, id: string, engagement = 0): AccountRecord {
  const state = createAccountState();
  if (engagement !== 0) setAccountMember(MODEL, state, null, { id: 'c1', at: 1000, engagement, rules: {} });
  return {
    siteKey,
    id,
    domain: id.includes('.') ? id : null,
    traits: { industry: 'software' },
    traitSources: { industry: 'c1' },
    state,
    score: accountResultOf(MODEL, state, {}, { now: 1000 }),
    stage: 'account',
    mqaAt: null,
    modelHash: hashModel(MODEL),
    createdAt: 1000,
    updatedAt: 1000,
  };
}

/** What every adapter must do with accounts, memberships and the once-only MQA mark. */
export function describeAccountStorageContract(
  name: string,
  makeStorage: () => Promise<StorageHarness>,
): void {
  describe(`account storage contract: ${name}`, () => {
    const t = useStorageHarness(makeStorage);

    it('creates an account once when transactions race to, and keeps it across a reopen', async () => {
      const made = await Promise.all(
        [1, 2, 3, 4].map((n) =>
          t.storage.transaction((tx) =>
            tx.accounts.lockAccount('s1', 'acme.com', { ...account('s1', 'acme.com'), createdAt: n }),
          ),
        ),
      );
      expect(new Set(made.map((a) => a?.createdAt)).size).toBe(1);
      await t.reopen();
      expect(await t.storage.accounts.getAccount('s1', 'acme.com')).toEqual(made[0]);
      expect(await t.storage.accounts.getAccount('s2', 'acme.com')).toBeNull();
      expect(
        await t.storage.transaction((tx) => tx.accounts.lockAccount('s1', 'none.example', null)),
      ).toBeNull();
    });

    it('marks an MQA for exactly one of several concurrent transactions, and a save never moves the time', async () => {
      await t.storage.transaction((tx) =>
        tx.accounts.lockAccount('s1', 'hot.example', account('s1', 'hot.example')),
      );
      const marks = await Promise.all(
        [10, 20, 30, 40, 50].map((at) =>
          t.storage.transaction((tx) => tx.accounts.markMqa('s1', 'hot.example', at)),
        ),
      );
      expect(marks.filter(Boolean)).toHaveLength(1);
      const at = [10, 20, 30, 40, 50][marks.indexOf(true)];
      const marked = await t.storage.accounts.getAccount('s1', 'hot.example');
      expect(marked).toMatchObject({ stage: 'mqa', mqaAt: at });
      await t.storage.transaction(async (tx) => {
        const locked = await tx.accounts.lockAccount('s1', 'hot.example', null);
        await tx.accounts.saveAccount({
          ...(locked as AccountRecord),
          mqaAt: 99,
          traits: { industry: 'retail' },
        });
      });
      expect(await t.storage.accounts.getAccount('s1', 'hot.example')).toMatchObject({
        mqaAt: at,
        traits: { industry: 'retail' },
      });
      expect(await t.storage.accounts.countMqas('s1', { from: 0, to: 100 })).toBe(1);
      expect(await t.storage.accounts.countMqas('s1', { from: 60, to: 100 })).toBe(0);
    });

    it('keeps one membership per contact, with its entry, and lists accounts by score', async () => {
      await t.storage.transaction(async (tx) => {
        for (const [id, e] of [
          ['a.example', 5],
          ['b.example', 9],
          ['c.example', 5],
          ['d.example', 1],
        ] as const)
          await tx.accounts.lockAccount('s1', id, account('s1', id, e));
        const entry = { id: 'c1', at: 1000, engagement: 5, rules: { any: 5 } };
        await tx.accounts.saveMembership({
          contactId: 'c1',
          siteKey: 's1',
          accountId: 'a.example',
          source: 'domain',
          entry,
        });
        await tx.accounts.saveMembership({
          contactId: 'c2',
          siteKey: 's1',
          accountId: 'a.example',
          source: 'group',
          entry: { ...entry, id: 'c2' },
        });
        await tx.accounts.saveMembership({
          contactId: 'c1',
          siteKey: 's1',
          accountId: 'b.example',
          source: 'group',
          entry,
        });
      });
      expect(await t.storage.transaction((tx) => tx.accounts.membership('c1'))).toMatchObject({
        accountId: 'b.example',
        source: 'group',
        entry: { engagement: 5, rules: { any: 5 } },
      });
      expect((await t.storage.accounts.memberEntries('s1', 'a.example')).map((e) => e.id)).toEqual(['c2']);
      await t.storage.transaction((tx) => tx.accounts.deleteMembership('c2'));
      expect(await t.storage.accounts.memberEntries('s1', 'a.example')).toEqual([]);

      const ids = async (q: Parameters<Storage['accounts']['listAccounts']>[1]) =>
        (await t.storage.accounts.listAccounts('s1', q)).map((a) => a.id);
      expect(await ids({ limit: 10 })).toEqual(['b.example', 'a.example', 'c.example', 'd.example']);
      expect(await ids({ limit: 2, after: { score: 5, id: 'a.example' } })).toEqual([
        'c.example',
        'd.example',
      ]);
      expect(await ids({ limit: 10, minScore: 5 })).toEqual(['b.example', 'a.example', 'c.example']);
      await t.storage.transaction((tx) => tx.accounts.markMqa('s1', 'd.example', 5));
      expect(await ids({ limit: 10, stage: 'mqa' })).toEqual(['d.example']);
      expect(await t.storage.accounts.listAccounts('s2', { limit: 10 })).toEqual([]);
    });
  });
}
