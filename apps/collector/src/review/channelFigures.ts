// The model review's channel and campaign figures: stages reached, revenue and, with the site's spend, costs.

import type { ChannelFigures } from '@leadlight/scoring-core/wire';
import type { ContactOutcome } from '../storage/storage.js';
import { round2 } from './reviewFeatures.js';

/** A first touch's campaign as the review groups it: trimmed, lower-cased, null when empty. */
export function cleanCampaign(value: string | null): string | null {
  const clean = value?.trim().toLowerCase().slice(0, 100) ?? '';
  return clean === '' ? null : clean;
}

/** Figures with nothing counted yet. */
export function emptyFigures(): ChannelFigures {
  return { contacts: 0, mqls: 0, sqls: 0, customers: 0, revenue: 0, revenuePerMql: null };
}

/** Counts one contact into a channel's or campaign's figures. */
export function addContact(figures: ChannelFigures, c: ContactOutcome): void {
  figures.contacts++;
  if (c.mqlAt !== null || c.reached.mql !== undefined) figures.mqls++;
  if (c.reached.sql !== undefined) figures.sqls++;
  if (c.reached.customer !== undefined) {
    figures.customers++;
    figures.revenue += c.revenue ?? 0;
  }
}

/** Rounds the figures and adds revenue per MQL and, with a spend, the costs. */
export function finishFigures(figures: ChannelFigures, spend: number | undefined): ChannelFigures {
  const per = (amount: number, count: number) => (count === 0 ? null : round2(amount / count));
  const out: ChannelFigures = {
    ...figures,
    revenue: round2(figures.revenue),
    revenuePerMql: per(figures.revenue, figures.mqls),
  };
  if (spend !== undefined) {
    out.spend = spend;
    out.costPerMql = per(spend, figures.mqls);
    out.costPerSql = per(spend, figures.sqls);
    out.costPerCustomer = per(spend, figures.customers);
  }
  return out;
}

/** Orders rows by contacts, then by name. */
export function byContacts<T extends ChannelFigures>(key: (row: T) => string) {
  return (a: T, b: T) => b.contacts - a.contacts || (key(a) < key(b) ? -1 : 1);
}
