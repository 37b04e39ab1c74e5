import { type AccountUpdate, syncAccounts } from './accounts/syncAccounts.js';
import type { AppContext } from './appContext.js';
import { createEffects, scoreContact } from './contactLifecycle.js';
import type { RunningSite } from './siteRegistry.js';

/**
 * Recomputes every contact (or, with `onlyStale`, every contact scored under another model) of a site from its stored events under the site's current model, a page of
 * contacts per transaction (so ingest keeps flowing), applying stage moves and webhooks as usual.
 */
export async function rescoreSite(
  ctx: AppContext,
  site: RunningSite,
  options: { onlyStale?: boolean; shouldStop?: () => boolean } = {},
): Promise<number> {
  const shouldStop = options.shouldStop ?? (() => false);
  let afterId: string | undefined;
  let count = 0;
  while (!shouldStop()) {
    const ids = await ctx.storage.contactIds(
      site.config.siteKey,
      afterId === undefined ? { limit: 200 } : { afterId, limit: 200 },
    );
    if (ids.length === 0) break;
    const effects = createEffects();
    await ctx.storage.transaction(async (tx) => {
      const updates: AccountUpdate[] = [];
      for (const id of ids) {
        const contact = await tx.lockContact(id);
        if (!contact || (options.onlyStale && contact.state.modelHash === site.modelHash)) continue;
        await scoreContact(tx, site, contact, [], { now: ctx.now(), recompute: true }, effects);
        updates.push({ contact, group: null, trusted: false });
        count += 1;
      }
      // Members' new contributions, and accounts summed and scored again under the new model.
      await syncAccounts(tx, site, updates, [], ctx.now(), effects);
    });
    ctx.hub.publish(site.config.siteKey, effects.live);
    if (effects.webhooks > 0) ctx.webhooks.wake();
    afterId = ids.at(-1);
  }
  return count;
}
