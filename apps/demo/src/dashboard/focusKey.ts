// Re-renders replace elements: these remember which one had focus, by its `data-focus`, `data-keep` or
// `data-action` key, and put focus back on its successor.

/** The key of the focused element inside `root` (a re-render then puts focus back there). */
export function focusedKey(root: HTMLElement): string | undefined {
  const active = document.activeElement as HTMLElement | null;
  return active && root.contains(active)
    ? (active.dataset.focus ?? active.dataset.keep ?? active.dataset.action)
    : undefined;
}

/** Focuses the element inside `root` that carries `key`. */
export function restoreFocus(root: HTMLElement, key: string | undefined): void {
  if (!key) return;
  const k = CSS.escape(key);
  root.querySelector<HTMLElement>(`[data-focus="${k}"], [data-keep="${k}"], [data-action="${k}"]`)?.focus();
}
