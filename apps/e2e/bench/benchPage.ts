// The page both SDK benches load: 1,000 links (a tenth of them downloads, a tenth CTAs) and 20 forms.

export const LINKS = 1000;
export const FORMS = 20;

/** The bench page's HTML with `head` (the tracker's script tags) in its <head>. */
export function pageHtml(head: string): string {
  const links = Array.from({ length: LINKS }, (_, i) => {
    if (i % 10 === 0) return `<a href="/files/doc-${i}.pdf"><span>Doc ${i}</span></a>`;
    if (i % 10 === 5) return `<a href="/offer/${i}" data-ll-cta="offer-${i}"><b>Offer ${i}</b></a>`;
    return `<a href="/page/${i}"><span>Page <em>${i}</em></span></a>`;
  }).join('\n');
  const forms = Array.from(
    { length: FORMS },
    (_, i) =>
      `<form id="f${i}" action="/submit"><input name="email" type="email"><input name="company"><input name="password" type="password"><select name="size"><option>1</option></select><textarea name="msg"></textarea><button>Send</button></form>`,
  ).join('\n');
  return `<!doctype html><html><head><title>Bench</title>${head}</head><body>${links}${forms}</body></html>`;
}
