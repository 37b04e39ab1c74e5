import { STAGES, type Stage } from '@leadlight/scoring-core';
import type { Funnel, FunnelFigures } from '@leadlight/scoring-core/wire';
import type { ContactRecord } from './storage/storage.js';

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 10_000) / 10_000;
}

function figures(contacts: ContactRecord[]): FunnelFigures {
  const byStage = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  const reached = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  let revenue = 0;
  let spans = 0;
  let spanSum = 0;
  for (const c of contacts) {
    byStage[c.stage] += 1;
    for (const s of STAGES) if (c.reached[s] !== undefined) reached[s] += 1;
    const mqlAt = c.mqlAt ?? c.reached.mql;
    if (mqlAt !== undefined && mqlAt !== null) {
      revenue += c.revenue ?? 0;
      const customerAt = c.reached.customer;
      if (customerAt !== undefined) {
        spans += 1;
        spanSum += Math.max(0, customerAt - mqlAt);
      }
    }
  }
  reached.visitor = contacts.length;
  return {
    contacts: contacts.length,
    byStage,
    reached,
    mqlToSqlRate: ratio(reached.sql, reached.mql),
    sqlToCustomerRate: ratio(reached.customer, reached.sql),
    meanMqlToCustomerMs: spans === 0 ? null : Math.round(spanSum / spans),
    meanRevenuePerMql: reached.mql === 0 ? null : Math.round((revenue / reached.mql) * 100) / 100,
  };
}

/**
 * Computes the funnel over contacts first seen in [from, to), and per first-touch channel, with the
 * number of accounts that became MQAs in the range.
 */
export function computeFunnel(
  contacts: ContactRecord[],
  range: { from: number; to: number },
  mqas = 0,
): Funnel {
  const groups = new Map<string, ContactRecord[]>();
  for (const c of contacts) {
    const list = groups.get(c.channel);
    if (list) list.push(c);
    else groups.set(c.channel, [c]);
  }
  const byChannel = [...groups]
    .map(([channel, list]) => ({ channel, ...figures(list) }))
    .sort((a, b) => b.contacts - a.contacts || (a.channel < b.channel ? -1 : 1));
  return { from: range.from, to: range.to, mqas, ...figures(contacts), byChannel };
}
