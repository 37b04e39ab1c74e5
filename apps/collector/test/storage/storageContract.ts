import { describe } from 'vitest';
import { describeContactContract } from './contactContract.js';
import { describeContactListContract } from './contactListContract.js';
import { describePrivacyContract } from './privacyContract.js';
import { describeSiteDataContract } from './siteDataContract.js';
import { type StorageHarness, useStorageHarness } from './storageHarness.js';

/**
 * The behaviour every storage adapter must have; an adapter's test calls this with a factory that
 * opens fresh, empty storage (SQLite file, PostgreSQL schema, …).
 */
export function describeStorageContract(name: string, makeStorage: () => Promise<StorageHarness>): void {
  describe(`storage contract: ${name}`, () => {
    const t = useStorageHarness(makeStorage);
    describeContactContract(t);
    describeContactListContract(t);
    describeSiteDataContract(t);
    describePrivacyContract(t);
  });
}
