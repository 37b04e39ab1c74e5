import { afterEach, beforeEach } from 'vitest';
import type { Storage } from '../../src/storage/storage.js';

/** What a storage adapter's test gives the contract suites. */
export interface StorageHarness {
  storage: Storage;
  /** Closes the storage and opens the same data again (a restart). */
  reopen(): Promise<Storage>;
  /** Closes whatever is open and deletes the data. */
  cleanup(): Promise<void>;
}

/** The storage a contract test runs against: fresh for each test, reopened on demand. */
export interface StorageUnderTest {
  readonly storage: Storage;
  /** Closes the storage and opens the same data again; `storage` is the reopened one afterwards. */
  reopen(): Promise<Storage>;
}

/** Opens fresh storage before each test of the enclosing `describe` and cleans it up after. */
export function useStorageHarness(makeStorage: () => Promise<StorageHarness>): StorageUnderTest {
  let h: StorageHarness | undefined;
  let storage: Storage | undefined;
  beforeEach(async () => {
    h = await makeStorage();
    storage = h.storage;
  });
  afterEach(async () => {
    await h?.cleanup();
  });
  return {
    get storage() {
      if (!storage) throw new Error('no storage outside a test');
      return storage;
    },
    async reopen() {
      if (!h) throw new Error('no storage outside a test');
      storage = await h.reopen();
      return storage;
    },
  };
}
