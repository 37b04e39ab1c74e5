import { STAGES, type Stage } from '@leadlight/scoring-core';
import { el } from './element.js';

/** A stage badge. */
export function stageBadge(stage: Stage): HTMLElement {
  return el('span', { class: `stage stage-${stage}`, 'data-stage': stage }, stage.toUpperCase());
}

/** A select of every stage, with "all" first. */
export function stageOptions(current: Stage | ''): HTMLOptionElement[] {
  return [
    el('option', { value: '' }, 'All stages'),
    ...STAGES.map((s) => el('option', { value: s, selected: s === current }, s.toUpperCase())),
  ];
}
