// What the simulator's tests share: a fixed clock, the demo's model, and a visitor's events in order.
import { type ScoringModel, sortEvents, type TrackedEvent, validateModel } from '@leadlight/scoring-core';
import { readDemoSite } from '../demoConfig.js';
import type { PlannedVisitor } from './traffic.js';

/** The tests' "now": traffic is planned over the days before it. */
export const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
/** One day in ms. */
export const DAY = 86_400_000;
/** The origin `pnpm simulate` sends to by default. */
export const ORIGIN = 'http://localhost:8787';

/** The demo config's model, validated. */
export function demoModel(): ScoringModel {
  const checked = validateModel(readDemoSite().model);
  if (!checked.ok) throw new Error(`demo model invalid: ${JSON.stringify(checked.errors)}`);
  return checked.model;
}

/** Every event of a visitor, all devices, as the collector would hold them after identify merges them. */
export function eventsOf(visitor: PlannedVisitor): readonly TrackedEvent[] {
  return sortEvents(visitor.batches.flatMap((b) => b.events));
}
