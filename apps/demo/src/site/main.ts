// The demo site's own script: the live score panel and the lead forms. Leadlight itself comes from the
// script tag in every page's head, exactly as a customer's site would load it.
import { installLeadForm } from './leadForm.js';
import { type LeadlightGlobal, whenLeadlight } from './leadlightGlobal.js';
import { installMobileMenu } from './mobileMenu.js';
import { ScorePanel } from './scorePanel.js';

installMobileMenu(document);
// Phones start with the score panel folded into one line, so it never covers the page.
const panel = new ScorePanel(document, { collapsed: window.matchMedia('(max-width: 820px)').matches });
document.body.append(panel.root);
let leadlight: LeadlightGlobal | undefined;
whenLeadlight(window, (ll) => {
  leadlight = ll;
  ll.onScore((score) => panel.render(score));
  ll.score().then(
    (score) => panel.render(score),
    () => undefined,
  );
});
for (const form of document.querySelectorAll<HTMLFormElement>('form[data-next]')) {
  installLeadForm(
    form,
    () => leadlight,
    (url) => window.location.assign(url),
  );
}
