import type { Test, VisitorState } from './condition.js';
import { CANDIDATES } from './prehide.js';

/** Compiles a condition (cached), or returns null after reporting what was wrong in `where`. */
export type Compile = (text: string, where: string) => Test | null;

/** Turns `data-ll-stage="lead mql+"` into the condition `stage:lead | stage:mql+`. */
export function stageCondition(list: string): string {
  return list
    .trim()
    .split(/\s+/)
    .map((stage) => `stage:${stage}`)
    .join('|');
}

/** True when every personalization attribute of `el` holds (an element without any holds). */
export function holds(el: Element, state: VisitorState, compile: Compile): boolean {
  const check = (attr: string, toCondition: (value: string) => string): boolean => {
    const value = el.getAttribute(attr);
    return value === null || compile(toCondition(value.trim()), `${attr}="${value}"`)?.(state) === true;
  };
  return (
    check('data-ll-min-score', (v) => `score>=${v}`) &&
    check('data-ll-max-score', (v) => `score<${v}`) &&
    check('data-ll-stage', stageCondition) &&
    check('data-ll-if', (v) => v)
  );
}

/** Shows or hides a candidate: `hidden` for the page, `data-ll-shown` for the pre-paint rule. */
function show(el: Element, on: boolean): void {
  // toggleAttribute with a force is a no-op when already in that state, so re-deciding causes no mutations.
  el.toggleAttribute('hidden', !on);
  el.toggleAttribute('data-ll-shown', on);
}

/**
 * Decides every candidate on the page: in a `data-ll-variants` group only the first child that holds
 * shows (a child without conditions always holds, so it is the fallback); elsewhere each one that holds.
 */
export function decidePage(root: ParentNode, state: VisitorState, compile: Compile): void {
  for (const group of root.querySelectorAll('[data-ll-variants]')) {
    let chosen: Element | undefined;
    for (const child of group.children) {
      if (!chosen && holds(child, state, compile)) chosen = child;
      show(child, child === chosen);
    }
  }
  for (const el of root.querySelectorAll(CANDIDATES)) {
    if (!el.parentElement?.hasAttribute('data-ll-variants') && !el.hasAttribute('data-ll-exit-popup')) {
      show(el, holds(el, state, compile));
    }
  }
}
