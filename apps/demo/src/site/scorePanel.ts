import type { ScoreResult } from '@leadlight/scoring-core';
import { formatPoints } from '../format.js';

/** Rule ids shown in words in the panel; unknown ids show as they are. */
const RULE_LABELS: Record<string, string> = {
  pricing: 'Viewed pricing',
  whitepaper: 'Downloaded the guide',
  'paid-ad': 'Came from a paid ad',
  'knowledge-base': 'Read the knowledge base',
  'case-study': 'Read a case study',
  'demo-request': 'Requested a demo',
  careers: 'Looked at careers',
  'big-company': 'Company of 200+',
  'tiny-company': 'Company of 10 or fewer',
  'buyer-role': 'Buyer role',
  manager: 'Manager',
  intern: 'Intern or student',
};

/** The always-visible panel that shows the visitor's live score, stage and why. */
export class ScorePanel {
  readonly root: HTMLElement;
  private readonly scoreEl: HTMLElement;
  private readonly stageEl: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly note: HTMLElement;

  constructor(
    private readonly doc: Document,
    options: { collapsed?: boolean } = {},
  ) {
    this.root = doc.createElement('aside');
    this.root.className = 'll-panel';
    this.root.id = 'll-panel';
    this.root.setAttribute('aria-label', 'Your Leadlight score');
    const header = doc.createElement('header');
    // A real button: the panel folds and unfolds from the keyboard too, and says which it is.
    const toggle = doc.createElement('button');
    toggle.type = 'button';
    toggle.className = 'll-toggle';
    toggle.setAttribute('aria-controls', 'll-panel-body');
    const title = doc.createElement('strong');
    title.textContent = 'Leadlight · live score';
    this.scoreEl = doc.createElement('span');
    this.scoreEl.className = 'll-score';
    this.scoreEl.textContent = '–';
    // Only the score is announced as it changes, not the whole list.
    this.scoreEl.setAttribute('aria-live', 'polite');
    toggle.append(title, this.scoreEl);
    header.append(toggle);
    const setCollapsed = (collapsed: boolean) => {
      this.root.classList.toggle('is-collapsed', collapsed);
      toggle.setAttribute('aria-expanded', String(!collapsed));
    };
    setCollapsed(options.collapsed ?? false);
    toggle.addEventListener('click', () => setCollapsed(!this.root.classList.contains('is-collapsed')));
    const body = doc.createElement('div');
    body.className = 'll-body';
    body.id = 'll-panel-body';
    this.stageEl = doc.createElement('span');
    this.stageEl.className = 'll-stage';
    this.stageEl.textContent = 'visitor';
    this.list = doc.createElement('ul');
    this.note = doc.createElement('p');
    this.note.className = 'll-note';
    this.note.textContent = 'Browse the site: every page, download and form counts.';
    body.append(this.stageEl, this.list, this.note);
    this.root.append(header, body);
  }

  /** Shows one score (text only: nothing from the network is parsed as HTML). */
  render(score: ScoreResult | undefined): void {
    if (!score) return;
    this.scoreEl.textContent = String(Math.round(score.total));
    this.root.dataset.total = String(score.total);
    this.stageEl.textContent = score.stage.toUpperCase();
    this.stageEl.dataset.stage = score.stage;
    const rows = score.breakdown
      .filter((entry) => entry.points !== 0)
      .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
      .map((entry) => {
        const li = this.doc.createElement('li');
        const label = this.doc.createElement('span');
        label.textContent =
          entry.count > 1
            ? `${RULE_LABELS[entry.rule] ?? entry.rule} ×${entry.count}`
            : (RULE_LABELS[entry.rule] ?? entry.rule);
        const points = this.doc.createElement('span');
        points.className = entry.points < 0 ? 'll-neg' : 'll-pos';
        points.textContent = formatPoints(entry.points);
        li.append(label, points);
        return li;
      });
    this.list.replaceChildren(...rows);
    this.note.textContent = `Fit ${formatPoints(score.fit)} · engagement ${formatPoints(score.engagement)} · model ${score.modelVersion}`;
  }
}
