import {
  createState,
  foldEvents,
  hashModel,
  isOutOfOrder,
  resultOf,
  type ScoreResult,
  type ScoreState,
  type ScoringModel,
  type TrackedEvent,
  tryFoldEvent,
} from '@leadlight/scoring-core';
import type { ScoreSnapshot } from './protocol.js';

export type { ScoreSnapshot };

/** The provisional score of the current visitor: the collector's snapshot plus unacknowledged events. */
export interface ProvisionalScore {
  setModel(model: ScoringModel): void;
  /** Adopts the collector's snapshot (from a batch answer or `GET /v1/score`). */
  setSnapshot(snapshot: ScoreSnapshot): void;
  /** Folds one unacknowledged event; true when it changed the score (a rule awarded points, a trait moved). */
  add(event: TrackedEvent): boolean;
  /** Acknowledged events now live in the collector's snapshot; it replaces them as the base. */
  acknowledge(ids: string[], snapshot: ScoreSnapshot | undefined): void;
  result(now: number): ScoreResult | undefined;
  /** The visitor being scored (the newest event's anonymous id). */
  anonymousId(): string | undefined;
  /** True when the collector's snapshot for the current visitor is still unknown. */
  needsSnapshot(): boolean;
  /** The collector's last snapshot of the current visitor. */
  snapshot(): ScoreSnapshot | undefined;
  /** The current state, for local-only mode to persist. */
  state(): ScoreState | undefined;
  reset(): void;
}

/** Creates an empty provisional score. */
export function createProvisionalScore(): ProvisionalScore {
  let model: ScoringModel | undefined;
  let modelHash = '';
  let anon: string | undefined;
  let base: ScoreSnapshot | undefined;
  const pending = new Map<string, TrackedEvent>();
  let state: ScoreState | undefined;
  // Rebuilding folds every pending event again: done lazily, once, when the state is next needed.
  let dirty = false;
  const rebuild = () => {
    dirty = true;
  };
  const ensure = () => {
    if (dirty) build();
    return state;
  };

  // The base state is usable only when it was folded with the same model as ours.
  const build = () => {
    dirty = false;
    state = undefined;
    if (!model) return;
    if (base && base.state.modelHash !== modelHash) return;
    try {
      state = foldEvents(model, base ? structuredClone(base.state) : createState(model), [
        ...pending.values(),
      ]);
    } catch {
      // The snapshot cannot take these events exactly (scoring-core said so): show the collector's score.
      state = undefined;
    }
  };
  const awarded = (s: ScoreState | undefined) => {
    if (!s) return '';
    let count = 0;
    for (const n of s.counts) count += n;
    return `${count}|${s.identified}|${JSON.stringify(s.traits)}`;
  };
  const switchTo = (anonymousId: string) => {
    if (anon === anonymousId) return;
    anon = anonymousId;
    if (base?.anonymousId !== anonymousId) base = undefined;
    pending.clear();
    rebuild();
  };

  return {
    setModel(next) {
      model = next;
      modelHash = hashModel(next);
      rebuild();
    },
    setSnapshot(snapshot) {
      if (anon === undefined) anon = snapshot.anonymousId;
      if (snapshot.anonymousId !== anon) return;
      base = snapshot;
      rebuild();
    },
    add(event) {
      switchTo(event.anonymousId);
      if (pending.has(event.id)) return false;
      const current = ensure();
      pending.set(event.id, event);
      if (!model || !current) return false;
      const before = awarded(current);
      if (isOutOfOrder(current, event) || !tryFoldEvent(model, current, event)) build();
      return awarded(state) !== before;
    },
    acknowledge(ids, snapshot) {
      for (const id of ids) pending.delete(id);
      if (snapshot && snapshot.anonymousId === anon) base = snapshot;
      rebuild();
    },
    result(now) {
      ensure();
      if (!model || !state) return base?.score;
      const result = resultOf(model, state, { now, stage: base?.score.stage });
      // The collector's word on the account (verified browsers only): nothing here can compute it.
      if (base?.score.account) result.account = base.score.account;
      return result;
    },
    anonymousId: () => anon,
    needsSnapshot: () => anon !== undefined && base === undefined,
    snapshot: () => base,
    state: ensure,
    reset() {
      anon = undefined;
      base = undefined;
      pending.clear();
      state = undefined;
      dirty = false;
    },
  };
}
