import type { ReactNode } from 'react';
import type { ScoreLike } from './scoreLike.js';
import { useLeadScore } from './useLeadScore.js';

/** Conditions of `<Personalize>`; every one given must hold. */
export interface PersonalizeConditions {
  /** Shown from this total up (inclusive), like `data-ll-min-score`. */
  minScore?: number;
  /** Shown below this total (exclusive), like `data-ll-max-score`. */
  maxScore?: number;
  /** Space-separated stages, any of which shows it; `mql+` means MQL or later (like `data-ll-stage`). */
  stage?: string;
}

/** Props of `<Personalize>`. */
export interface PersonalizeProps extends PersonalizeConditions {
  /** Rendered when a condition does not hold (default: nothing). */
  fallback?: ReactNode;
  children?: ReactNode;
}

const STAGES = ['visitor', 'lead', 'mql', 'sql', 'opportunity', 'customer'];

/** True when `score` meets every condition; no score yet counts as a new visitor's (0, `visitor`), as in the SDK. */
export function meetsConditions(score: ScoreLike | undefined, c: PersonalizeConditions): boolean {
  const total = score?.total ?? 0;
  const rank = STAGES.indexOf(score?.stage ?? 'visitor');
  return (
    (c.minScore === undefined || total >= c.minScore) &&
    (c.maxScore === undefined || total < c.maxScore) &&
    (c.stage === undefined ||
      c.stage
        .trim()
        .split(/\s+/)
        .some((name) => {
          const wanted = STAGES.indexOf(name.replace(/\+$/, ''));
          return wanted >= 0 && (name.endsWith('+') ? rank >= wanted : rank === wanted);
        }))
  );
}

/** Renders its children when the visitor's score meets every condition, else `fallback`. */
export function Personalize({ fallback = null, children, ...conditions }: PersonalizeProps): ReactNode {
  return meetsConditions(useLeadScore(), conditions) ? children : fallback;
}
