import {
  type AccountMember,
  type AccountScore,
  accountMemberOf,
  accountResultOf,
  createAccountState,
  setAccountMember,
} from '@leadlight/scoring-core/accounts';
import type { Effects } from '../contactLifecycle.js';
import { enqueueWebhooks } from '../enqueueWebhooks.js';
import type { RunningSite } from '../siteRegistry.js';
import type { AccountMembership, AccountRecord, MembershipSource } from '../storage/accountStorage.js';
import type { ContactRecord, StorageTx } from '../storage/storage.js';
import { accountDomainOf } from './accountDomainOf.js';

/** The member traits a domain account takes as its own (a group call may set any). */
export const ACCOUNT_TRAITS = ['company', 'companySize', 'industry', 'revenue', 'country'] as const;

/** One scored contact whose account may have changed. */
export interface AccountUpdate {
  /** Locked, scored and saved in this transaction. */
  contact: ContactRecord;
  /** The newest group call of this transaction for the contact: the account it names, and its traits. */
  group: { id: string; traits: Record<string, unknown> } | null;
  /**
   * A write-key call or a browser verified by an identity token: its traits may rewrite the account's.
   * Others only fill in traits the account does not have yet (a shared account is not theirs to change).
   */
  trusted: boolean;
}

/** A contact that is gone (merged into `into`, or erased: null), leaving its account. */
export interface AccountLeave {
  contactId: string;
  into: string | null;
}

interface Plan {
  update: AccountUpdate;
  previous: AccountMembership | null;
  target: { id: string; source: MembershipSource; domain: string | null } | null;
}

/**
 * Puts each contact in its account — the newest group call's, else the one it was grouped into before,
 * else its work-email domain's (free mail never) — and takes gone contacts out; then each touched account
 * replaces those members' contributions (O(1) per member, whatever the account's size), is scored, and on
 * first meeting the MQA thresholds is marked with an atomic conditional update that queues `account.mqa`.
 * Accounts are locked after the contacts, in id order, so concurrent collectors cannot deadlock on them.
 * Answers the accounts it locked.
 */
export async function syncAccounts(
  tx: StorageTx,
  site: RunningSite,
  updates: readonly AccountUpdate[],
  leaving: readonly AccountLeave[],
  now: number,
  effects: Effects,
): Promise<Map<string, AccountRecord>> {
  const gone: AccountMembership[] = [];
  const inherited = new Map<string, string>();
  for (const leave of leaving) {
    const membership = await tx.accounts.membership(leave.contactId);
    if (!membership) continue;
    gone.push(membership);
    // A merged-away visitor's explicit group stays with the person.
    if (membership.source === 'group' && leave.into !== null) inherited.set(leave.into, membership.accountId);
  }
  const plans: Plan[] = [];
  for (const update of updates) {
    const { contact } = update;
    const domain = accountDomainOf(contact.email, site.config.accounts);
    const group = update.group?.id ?? inherited.get(contact.id) ?? null;
    if (contact.accountId === null && group === null && domain === null) continue;
    const previous = contact.accountId === null ? null : await tx.accounts.membership(contact.id);
    let target: Plan['target'] = null;
    if (group !== null) target = { id: group, source: 'group', domain: null };
    else if (previous?.source === 'group') target = { id: previous.accountId, source: 'group', domain: null };
    else if (domain !== null) target = { id: domain, source: 'domain', domain };
    plans.push({ update, previous, target });
  }
  if (gone.length === 0 && plans.length === 0) return new Map();

  const ids = new Set<string>();
  for (const m of gone) ids.add(m.accountId);
  for (const p of plans) {
    if (p.previous) ids.add(p.previous.accountId);
    if (p.target) ids.add(p.target.id);
  }
  const accounts = new Map<string, AccountRecord>();
  for (const id of [...ids].sort()) {
    const target = plans.find((p) => p.target?.id === id)?.target;
    const fresh = target ? emptyAccount(site, id, target.domain, now) : null;
    const account = await tx.accounts.lockAccount(site.config.siteKey, id, fresh);
    if (!account) continue;
    if (account.modelHash !== site.modelHash) await resum(tx, site, account);
    accounts.set(id, account);
  }

  const { model } = site;
  for (const m of gone) {
    const account = accounts.get(m.accountId);
    if (account) {
      setAccountMember(model, account.state, m.entry, null);
      moveTraitSources(account, m.contactId, leaving.find((l) => l.contactId === m.contactId)?.into ?? null);
    }
    await tx.accounts.deleteMembership(m.contactId);
  }
  for (const { update, previous, target } of plans) {
    const { contact } = update;
    if (previous && previous.accountId !== target?.id) {
      const old = accounts.get(previous.accountId);
      if (old) setAccountMember(model, old.state, previous.entry, null);
    }
    const account = target ? accounts.get(target.id) : undefined;
    if (target && account) {
      const entry: AccountMember = accountMemberOf(contact.id, contact.score, now);
      const before = previous?.accountId === target.id ? previous.entry : null;
      setAccountMember(model, account.state, before, entry);
      if (update.group?.id === target.id)
        applyTraits(account, update.group.traits, update.trusted, contact.id);
      if (target.source === 'domain')
        applyTraits(account, pick(contact.state.traits), update.trusted, contact.id);
      await tx.accounts.saveMembership({
        contactId: contact.id,
        siteKey: site.config.siteKey,
        accountId: target.id,
        source: target.source,
        entry,
      });
    } else if (previous) {
      await tx.accounts.deleteMembership(contact.id);
    }
    const accountId = target && account ? target.id : null;
    if (contact.accountId !== accountId) {
      contact.accountId = accountId;
      await tx.saveContact(contact);
    }
  }
  for (const account of accounts.values()) await settleAccount(tx, site, account, now, effects);
  return accounts;
}

/** Scores a locked account at `now`, marks its first MQA (queuing `account.mqa` once) and saves it. */
export async function settleAccount(
  tx: StorageTx,
  site: RunningSite,
  account: AccountRecord,
  now: number,
  effects: Effects,
): Promise<void> {
  if (account.modelHash !== site.modelHash) await resum(tx, site, account);
  const score = accountResultOf(site.model, account.state, account.traits, { now, stage: account.stage });
  // The conditional update is the guard: of two collectors racing here, exactly one sees it change.
  if (
    score.mqa &&
    account.mqaAt === null &&
    (await tx.accounts.markMqa(site.config.siteKey, account.id, now))
  ) {
    account.mqaAt = now;
    account.stage = 'mqa';
    score.stage = 'mqa';
    await enqueueWebhooks(tx, site, 'account.mqa', { account: accountSummary(account, score) }, now, effects);
  }
  account.score = score;
  account.updatedAt = now;
  await tx.accounts.saveAccount(account);
}

/** An account as webhooks carry it. */
export function accountSummary(account: AccountRecord, score: AccountScore) {
  return {
    id: account.id,
    domain: account.domain,
    name: accountName(account),
    traits: account.traits,
    stage: account.stage,
    mqaAt: account.mqaAt,
    score: {
      total: score.total,
      fit: score.fit,
      engagement: score.engagement,
      engagedContacts: score.engagedContacts,
      members: score.members,
      modelVersion: score.modelVersion,
    },
  };
}

/** The name an account goes by: its `name` trait, else `company`. */
export function accountName(account: AccountRecord): string | null {
  const name = account.traits.name ?? account.traits.company;
  return typeof name === 'string' && name.trim() !== '' ? name : null;
}

/** Sums the account again from its members' entries (its state was summed under another model). */
async function resum(tx: StorageTx, site: RunningSite, account: AccountRecord): Promise<void> {
  const state = createAccountState();
  for (const entry of await tx.accounts.memberEntries(site.config.siteKey, account.id))
    setAccountMember(site.model, state, null, entry);
  account.state = state;
  account.modelHash = site.modelHash;
}

function emptyAccount(site: RunningSite, id: string, domain: string | null, now: number): AccountRecord {
  const state = createAccountState();
  return {
    siteKey: site.config.siteKey,
    id,
    domain,
    traits: {},
    traitSources: {},
    state,
    score: accountResultOf(site.model, state, {}, { now }),
    stage: 'account',
    mqaAt: null,
    modelHash: site.modelHash,
    createdAt: now,
    updatedAt: now,
  };
}

function pick(traits: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of ACCOUNT_TRAITS) if (Object.hasOwn(traits, key)) picked[key] = traits[key];
  return picked;
}

/** Trusted traits set (null unsets); untrusted ones only fill in what the account lacks. */
function applyTraits(
  account: AccountRecord,
  traits: Record<string, unknown>,
  trusted: boolean,
  from: string,
): void {
  for (const [key, value] of Object.entries(traits)) {
    if (value === undefined || (!trusted && (value === null || Object.hasOwn(account.traits, key)))) continue;
    if (value === null) {
      delete account.traits[key];
      delete account.traitSources[key];
    } else {
      account.traits[key] = value;
      account.traitSources[key] = from;
    }
  }
}

/** A merged-away member's traits now come from the contact it joined; an erased member's go. */
function moveTraitSources(account: AccountRecord, contactId: string, into: string | null): void {
  for (const [key, source] of Object.entries(account.traitSources)) {
    if (source !== contactId) continue;
    if (into !== null) account.traitSources[key] = into;
    else {
      delete account.traits[key];
      delete account.traitSources[key];
    }
  }
}
