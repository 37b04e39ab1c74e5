import type {
  AccountMember,
  AccountScore,
  AccountStage,
  AccountState,
} from '@leadlight/scoring-core/accounts';

/** An account (company) with its members' running sums. */
export interface AccountRecord {
  siteKey: string;
  /** A group call's id, or the work-email domain (lower-cased). */
  id: string;
  /** The email domain of a domain account; null for group accounts. */
  domain: string | null;
  traits: Record<string, unknown>;
  /** The contact that set each trait (erasing it removes them). */
  traitSources: Record<string, string>;
  state: AccountState;
  /** The score as of `updatedAt`. */
  score: AccountScore;
  stage: AccountStage;
  /** When it first became an MQA; set once. */
  mqaAt: number | null;
  /** The model its state was summed under (a stale one is summed again from the members' entries). */
  modelHash: string;
  createdAt: number;
  updatedAt: number;
}

/** Why a contact is in its account. */
export type MembershipSource = 'group' | 'domain';

/** A contact's place in its account: how it got there, and what it last added to the sums. */
export interface AccountMembership {
  contactId: string;
  siteKey: string;
  accountId: string;
  source: MembershipSource;
  entry: AccountMember;
}

/** Paging position in a score-ordered account list. */
export interface AccountCursor {
  score: number;
  id: string;
}

/**
 * Account operations inside a storage transaction. Callers hold the member contact's lock when they touch
 * its membership, and lock accounts after contacts, in id order (no deadlock between collectors).
 */
export interface AccountTx {
  membership(contactId: string): Promise<AccountMembership | null>;
  saveMembership(membership: AccountMembership): Promise<void>;
  deleteMembership(contactId: string): Promise<void>;
  /** Locks an account until the transaction ends; with `fresh`, creates it first when it does not exist. */
  lockAccount(siteKey: string, id: string, fresh: AccountRecord | null): Promise<AccountRecord | null>;
  /** Every member's last contribution (to sum an account again after a model change). */
  memberEntries(siteKey: string, accountId: string): Promise<AccountMember[]>;
  /** Saves the locked account; its `mqaAt`, once set, is never changed. */
  saveAccount(account: AccountRecord): Promise<void>;
  /**
   * Marks the account an MQA at `at` unless it already is one: an atomic conditional update, true only
   * for the one transaction that made the change (so `account.mqa` is sent once, whatever the racing).
   */
  markMqa(siteKey: string, id: string, at: number): Promise<boolean>;
}

/** Account reads outside transactions. */
export interface AccountReads {
  getAccount(siteKey: string, id: string): Promise<AccountRecord | null>;
  /** Accounts by stored score (highest first, then id), optionally filtered. */
  listAccounts(
    siteKey: string,
    query: { stage?: AccountStage; minScore?: number; limit: number; after?: AccountCursor },
  ): Promise<AccountRecord[]>;
  /** The members' contributions, in contact id order. */
  memberEntries(siteKey: string, accountId: string): Promise<AccountMember[]>;
  /** Accounts that became MQAs in [from, to). */
  countMqas(siteKey: string, range: { from: number; to: number }): Promise<number>;
}
