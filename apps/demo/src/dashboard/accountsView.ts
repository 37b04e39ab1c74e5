// The Accounts view: companies by score, MQA badges, and each account's buying committee — who, their
// role, what they did (their top rules).
import type { ScoringModel } from '@leadlight/scoring-core';
import type { AccountDetail, AccountView } from '@leadlight/scoring-core/wire';
import type { DashboardApi } from './api.js';
import { el } from './element.js';
import { ruleLabels } from './ruleLabels.js';
import { stageBadge } from './stageBadge.js';

/** How many of a member's rules the committee names. */
const TOP_RULES = 3;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

function accountBadge(stage: AccountView['stage']): HTMLElement {
  return el(
    'span',
    { class: `stage stage-${stage}`, 'data-stage': stage },
    stage === 'mqa' ? 'MQA' : 'Account',
  );
}

/** The account's name, domain or id, as people read it. */
export function accountTitle(account: Pick<AccountView, 'id' | 'name' | 'domain'>): string {
  return account.name ?? account.domain ?? account.id;
}

/** A member's engagement rules that awarded the most points, by label. */
export function topRules(
  breakdown: { rule: string; kind: string; points: number }[],
  labels: Map<string, string>,
): string[] {
  return breakdown
    .filter((line) => line.kind === 'engagement' && line.points > 0)
    .sort((a, b) => b.points - a.points)
    .slice(0, TOP_RULES)
    .map((line) => `${labels.get(line.rule) ?? line.rule} (+${line.points})`);
}

function accountsTable(accounts: AccountView[], open: (id: string, button: HTMLButtonElement) => void) {
  const head = ['Account', 'Stage', 'Score', 'Fit', 'Engagement', 'Engaged people', 'Buying committee'];
  return el(
    'table',
    { class: 'data-table', 'data-accounts': '' },
    el('caption', { class: 'sr-only' }, 'Accounts by score, highest first'),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el(
      'tbody',
      {},
      ...accounts.map((a) => {
        const button = el(
          'button',
          { type: 'button', class: 'btn btn-small', 'aria-controls': 'committee', 'aria-expanded': 'false' },
          'Show',
          el('span', { class: 'sr-only' }, ` the buying committee of ${accountTitle(a)}`),
        );
        button.addEventListener('click', () => open(a.id, button));
        return el(
          'tr',
          { 'data-account': a.id },
          el(
            'th',
            { scope: 'row' },
            accountTitle(a),
            a.domain && a.name ? el('span', { class: 'sub' }, ` ${a.domain}`) : null,
          ),
          el('td', {}, accountBadge(a.stage)),
          el('td', { class: 'num' }, a.score.total),
          el('td', { class: 'num' }, a.score.fit),
          el('td', { class: 'num' }, a.score.engagement),
          el('td', { class: 'num' }, `${a.score.engagedContacts} of ${a.members}`),
          el('td', {}, button),
        );
      }),
    ),
  );
}

function committee(account: AccountDetail, labels: Map<string, string>) {
  const people = account.contacts;
  return [
    el('h2', { id: 'committee-title', tabindex: '-1' }, `Buying committee of ${accountTitle(account)}`),
    el(
      'p',
      { class: 'sub' },
      `${account.members} ${account.members === 1 ? 'person' : 'people'}, ${account.score.engagedContacts} engaged; `,
      account.stage === 'mqa' && account.mqaAt !== null
        ? `marketing-qualified since ${new Date(account.mqaAt).toLocaleDateString()}`
        : 'not marketing-qualified yet',
    ),
    people.length === 0
      ? el('p', {}, 'No one from this account is known any more.')
      : el(
          'table',
          { class: 'data-table' },
          el('caption', { class: 'sr-only' }, `People of ${accountTitle(account)}, most engaged first`),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...['Who', 'Role', 'Stage', 'Engagement', 'What they did'].map((h) =>
                el('th', { scope: 'col' }, h),
              ),
            ),
          ),
          el(
            'tbody',
            {},
            ...people.map((p) => {
              const did = topRules(p.score.breakdown, labels);
              return el(
                'tr',
                { 'data-member': p.id },
                el('th', { scope: 'row' }, text(p.traits.name) ?? p.email ?? 'Anonymous visitor'),
                el('td', {}, text(p.traits.title) ?? text(p.traits.role) ?? '—'),
                el('td', {}, stageBadge(p.stage)),
                el('td', { class: 'num' }, p.score.engagement),
                el('td', {}, did.length === 0 ? 'Nothing scored yet' : did.join(', ')),
              );
            }),
          ),
        ),
  ];
}

/** Mounts the Accounts view in `root`; `reload()` fetches the accounts again. */
export function mountAccountsView(
  root: HTMLElement,
  api: DashboardApi,
  model: () => ScoringModel | undefined,
  onError: (error: unknown) => void,
) {
  const list = el('div', { class: 'table-scroll' });
  const count = el('span', { class: 'sub' });
  const detail = el('section', { id: 'committee', class: 'card', 'aria-live': 'polite', hidden: true });
  root.replaceChildren(
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'accounts-title' },
      el('h2', { id: 'accounts-title' }, 'Accounts ', count),
      el(
        'p',
        { class: 'sub' },
        'Companies by score: their people’s engagement added up, plus the company’s fit. An MQA met every account threshold.',
      ),
      list,
    ),
    detail,
  );

  async function open(id: string, button: HTMLButtonElement) {
    try {
      const account = await api.account(id);
      detail.replaceChildren(...committee(account, ruleLabels(model())));
      detail.hidden = false;
      for (const b of list.querySelectorAll('button[aria-expanded]'))
        b.setAttribute('aria-expanded', 'false');
      button.setAttribute('aria-expanded', 'true');
      detail.querySelector<HTMLElement>('#committee-title')?.focus();
    } catch (error) {
      onError(error);
    }
  }

  return {
    async reload() {
      const { items } = await api.accounts(100);
      count.textContent = `${items.length} shown, ${items.filter((a) => a.stage === 'mqa').length} MQA`;
      list.replaceChildren(
        items.length === 0
          ? el('p', {}, 'No accounts yet: people with a work email, or a group call, form them.')
          : accountsTable(items, (id, button) => void open(id, button)),
      );
    },
  };
}
