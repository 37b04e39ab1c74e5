import { type CaptureContext, listen, targetElement } from './captureContext.js';

/**
 * Downloads and CTA clicks through one delegated listener pair on the document (`click` for left clicks and
 * keyboard activation, which browsers deliver as a click; `auxclick` for the middle button), so children and
 * elements added later count too. It only reads the DOM and never calls preventDefault: navigation is never
 * delayed.
 */
export function captureClicks(
  ctx: CaptureContext,
  /** Lower-case file extensions counted as downloads, or null for no download capture. */
  downloadExtensions: string[] | null,
  /** Selector of CTA elements (`[data-ll-cta]` plus configured selectors), or null for no CTA capture. */
  ctaSelector: string | null,
): void {
  const extensions = new Set(downloadExtensions);
  const handle = (event: Event) => {
    const button = (event as MouseEvent).button;
    if (event.type === 'click' ? button > 0 : button !== 1) return;
    const el = targetElement(event);
    if (!el) return;
    if (downloadExtensions) {
      const link = el.closest('a[href],area[href]') as HTMLAnchorElement | null;
      if (link) download(link);
    }
    if (ctaSelector) {
      const cta = el.closest(ctaSelector);
      if (cta) ctx.track('cta_click', ctaProps(cta));
    }
  };
  const download = (link: HTMLAnchorElement) => {
    let url: URL;
    try {
      url = new URL(link.href, link.baseURI);
    } catch {
      return;
    }
    const segment = decodeSafe(url.pathname.split('/').pop() ?? '');
    const ext = extensionOf(segment);
    const named = link.getAttribute('data-ll-download') || link.getAttribute('download');
    const marked = link.hasAttribute('data-ll-download') || link.hasAttribute('download');
    if (!marked && !extensions.has(ext)) return;
    const file = named || segment || url.hostname;
    ctx.track('download', { href: url.href, file, ext: ext || extensionOf(file) });
  };
  listen(ctx, ctx.window.document, 'click', handle);
  listen(ctx, ctx.window.document, 'auxclick', handle);
}

/** The lower-case extension of a file name ("" when it has none; a leading dot is not one). */
function extensionOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(dot + 1).toLowerCase() : '';
}

/** The CTA's name: `data-ll-cta`, else its id, else its text (trimmed, at most 64 characters). */
function ctaProps(el: Element): Record<string, unknown> {
  const name =
    el.getAttribute('data-ll-cta') ||
    el.id ||
    (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 64) ||
    el.tagName.toLowerCase();
  const href = el.getAttribute('href');
  return href ? { cta: name, href: (el as HTMLAnchorElement).href || href } : { cta: name };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
