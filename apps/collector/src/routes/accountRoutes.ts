import type { AccountStage } from '@leadlight/scoring-core/accounts';
import { accountResultOf, rollUpAccount } from '@leadlight/scoring-core/accounts';
import type { AccountDetail, AccountMemberView, AccountView, Page } from '@leadlight/scoring-core/wire';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accountName } from '../accounts/syncAccounts.js';
import type { AppContext } from '../appContext.js';
import { CollectorError } from '../collectorError.js';
import { currentScore } from '../contactLifecycle.js';
import { decodeCursor, encodeCursor, parseLimit } from '../pageCursor.js';
import { requireSecret } from '../requestAuth.js';
import type { RunningSite } from '../siteRegistry.js';
import type { AccountRecord } from '../storage/accountStorage.js';
import type { ContactRecord } from '../storage/storage.js';

const ACCOUNT_STAGES: readonly AccountStage[] = ['account', 'mqa'];
/** Most members the detail answer lists (the highest contributors first); `members` counts them all. */
const MAX_LISTED_MEMBERS = 200;

/** The account's score now (engagement decays); a state summed under an older model answers its stored score. */
function currentAccountScore(site: RunningSite, account: AccountRecord, now: number) {
  if (account.modelHash !== site.modelHash) return { ...account.score, stage: account.stage };
  return accountResultOf(site.model, account.state, account.traits, { now, stage: account.stage });
}

/** An account as the API shows it. */
function accountView(site: RunningSite, account: AccountRecord, now: number): AccountView {
  const name = accountName(account);
  return {
    id: account.id,
    ...(account.domain === null ? {} : { domain: account.domain }),
    ...(name === null ? {} : { name }),
    traits: account.traits,
    stage: account.stage,
    mqaAt: account.mqaAt,
    members: account.state.members,
    score: currentAccountScore(site, account, now),
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
}

/** One member as the account detail lists it: who, their stage and score (its breakdown says what they did). */
function memberView(site: RunningSite, contact: ContactRecord, now: number): AccountMemberView {
  return {
    id: contact.id,
    email: contact.email,
    stage: contact.stage,
    traits: contact.state.traits,
    score: currentScore(site, contact, now),
    lastSeenAt: contact.lastSeenAt,
  };
}

/** Registers the secret-key account endpoints: `GET /v1/accounts` and `GET /v1/accounts/:id`. */
export function registerAccountRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/v1/accounts', async (request: FastifyRequest): Promise<Page<AccountView>> => {
    const { site } = await requireSecret(ctx, request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    let stage: AccountStage | undefined;
    if (query.stage !== undefined && query.stage !== '') {
      if (!(ACCOUNT_STAGES as readonly unknown[]).includes(query.stage))
        throw new CollectorError(
          'bad_request',
          `stage: expected account or mqa, got ${JSON.stringify(query.stage)}`,
        );
      stage = query.stage as AccountStage;
    }
    let minScore: number | undefined;
    if (query.minScore !== undefined && query.minScore !== '') {
      minScore = Number(query.minScore);
      if (!Number.isFinite(minScore))
        throw new CollectorError(
          'bad_request',
          `minScore: expected a number, got ${JSON.stringify(query.minScore)}`,
        );
    }
    const limit = parseLimit(query.limit);
    const cursor = decodeCursor(query.cursor);
    const rows = await ctx.storage.accounts.listAccounts(site.config.siteKey, {
      ...(stage ? { stage } : {}),
      ...(minScore !== undefined ? { minScore } : {}),
      limit: limit + 1,
      ...(cursor ? { after: { score: cursor[0], id: cursor[1] } } : {}),
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const now = ctx.now();
    return {
      items: page.map((a) => accountView(site, a, now)),
      nextCursor: rows.length > limit && last ? encodeCursor([last.score.total, last.id]) : null,
    };
  });

  app.get('/v1/accounts/:id', async (request: FastifyRequest): Promise<AccountDetail> => {
    const { site } = await requireSecret(ctx, request);
    const id = (request.params as Record<string, string>).id as string;
    const siteKey = site.config.siteKey;
    const account = await ctx.storage.accounts.getAccount(siteKey, id);
    if (!account)
      throw new CollectorError('not_found', `account ${JSON.stringify(id)}: no such account on this site`);
    const now = ctx.now();
    const entries = await ctx.storage.accounts.memberEntries(siteKey, id);
    const view = accountView(site, account, now);
    // Per member: the roll-up from every entry, so the contributions add up to the account's engagement.
    const rolled = rollUpAccount(site.model, account.traits, entries, { now, stage: account.stage });
    const listed = rolled.contributions.slice(0, MAX_LISTED_MEMBERS);
    const contacts = await Promise.all(listed.map((c) => ctx.storage.getContact(siteKey, c.id)));
    return {
      ...view,
      score: { ...view.score, contributions: rolled.contributions },
      contacts: contacts.filter((c): c is ContactRecord => c !== null).map((c) => memberView(site, c, now)),
    };
  });
}
