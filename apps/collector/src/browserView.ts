import { createState, resultOf, type ScoreState } from '@leadlight/scoring-core';
import type { ScoreAnswer } from '@leadlight/scoring-core/wire';
import { currentScore } from './contactLifecycle.js';
import type { RunningSite } from './siteRegistry.js';
import type { AccountRecord } from './storage/accountStorage.js';
import type { ContactRecord, DeviceRecord } from './storage/storage.js';

/** True while a browser's identity token holds for the contact it belongs to. */
export function isVerified(device: DeviceRecord, contact: ContactRecord | null, now: number): boolean {
  return (
    device.verifiedEmail !== null &&
    device.verifiedUntil > now &&
    contact !== null &&
    contact.email === device.verifiedEmail
  );
}

/**
 * Whether a batch speaks for a contact (its traits may rewrite shared, account ones): a write-key call, or
 * one of the contact's browsers verified by an identity token. (Merges repoint devices to the survivor.)
 */
export function speaksForContact(
  source: 'browser' | 'server',
  devices: Iterable<DeviceRecord>,
  contact: ContactRecord,
  now: number,
): boolean {
  if (source === 'server') return true;
  for (const device of devices)
    if (device.contactId === contact.id && isVerified(device, contact, now)) return true;
  return false;
}

/** The view a browser gets; `device.state` must already be folded under the site's current model. */
export function browserView(
  site: RunningSite,
  device: DeviceRecord | null,
  contact: ContactRecord | null,
  now: number,
  account: AccountRecord | null = null,
): ScoreAnswer {
  if (device && isVerified(device, contact, now)) {
    const verified = contact as ContactRecord;
    const score = currentScore(site, verified, now);
    if (account !== null && account.id === verified.accountId) score.account = account.stage;
    return {
      contactId: verified.id,
      verified: true,
      score,
      state: withReadableTraits(site, verified.state),
    };
  }
  const state = device?.state?.modelHash === site.modelHash ? device.state : createState(site.model);
  return {
    contactId: null,
    verified: false,
    score: resultOf(site.model, state, { now }),
    state: withReadableTraits(site, state),
  };
}

/** The state with only the traits that fit rules read (their values decide the score; nothing else leaves). */
function withReadableTraits(site: RunningSite, state: ScoreState): ScoreState {
  const readable = new Set(site.model.fit.map((rule) => rule.trait));
  const traits: Record<string, unknown> = {};
  const traitAt: NonNullable<ScoreState['traitAt']> = {};
  for (const key of readable) {
    if (Object.hasOwn(state.traits, key)) traits[key] = state.traits[key];
    const at = state.traitAt?.[key];
    if (at !== undefined) traitAt[key] = at;
  }
  return { ...state, traits, ...(state.traitAt === undefined ? {} : { traitAt }) };
}
