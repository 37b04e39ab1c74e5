/**
 * The site's menu on narrow screens: a button that shows and hides the main navigation (the CSS hides the
 * button on wide screens). Escape closes it and gives focus back to the button; so does a click elsewhere.
 */
export function installMobileMenu(doc: Document): void {
  const button = doc.querySelector<HTMLButtonElement>('.menu-toggle');
  const bar = button?.closest<HTMLElement>('.topbar');
  if (!button || !bar) return;
  const setOpen = (open: boolean) => {
    bar.classList.toggle('is-open', open);
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? 'Close' : 'Menu';
  };
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    setOpen(open);
    if (open) doc.querySelector<HTMLElement>('#mainnav a')?.focus();
  });
  bar.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
      setOpen(false);
      button.focus();
    }
  });
  doc.addEventListener('click', (event) => {
    if (button.getAttribute('aria-expanded') === 'true' && !bar.contains(event.target as Node))
      setOpen(false);
  });
}
