// @vitest-environment jsdom
import type { ScoreResult } from '@leadlight/scoring-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { installLeadForm } from './leadForm.js';
import type { LeadlightGlobal } from './leadlightGlobal.js';
import { ScorePanel } from './scorePanel.js';

const FORM = `
<form data-multistep data-next="/whitepaper/thank-you/" novalidate>
  <ol class="steps"><li class="is-current">You</li><li>Company</li></ol>
  <fieldset data-step="1">
    <label>Work email<input type="email" name="email" required></label>
    <label>Full name<input type="text" name="name" required></label>
    <button type="button" data-step-next>Continue</button>
  </fieldset>
  <fieldset data-step="2" hidden>
    <label>Company<input type="text" name="company" required></label>
    <label>Company size<select name="companySize" required><option value="">Choose</option><option value="600">201–1,000</option></select></label>
    <label>Role<select name="role" required><option value="">Choose</option><option value="vp">VP</option></select></label>
    <button type="button" data-step-back>Back</button><button type="submit">Get the guide</button>
  </fieldset>
  <input type="password" name="password" value="never-read">
  <p class="form-error" hidden></p>
</form>`;

function fakeLeadlight() {
  const calls = { flushes: 0 };
  const ll: LeadlightGlobal = {
    identify: () => {},
    track: () => {},
    score: async () => undefined,
    onScore: () => () => {},
    flush: async () => {
      calls.flushes += 1;
      return { sent: 1, pending: 0 };
    },
    anonymousId: () => 'anon',
  };
  return { ll, calls };
}

const $ = <T extends Element>(selector: string) => document.querySelector(selector) as T;
const set = (name: string, value: string) => {
  const field = $<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
  field.value = value;
};

describe('installLeadForm', () => {
  beforeEach(() => {
    document.body.innerHTML = FORM;
  });

  it('refuses to leave a step with an invalid field, naming it', () => {
    installLeadForm(
      $('form'),
      () => undefined,
      () => {},
    );
    set('email', 'not-an-email');
    $<HTMLButtonElement>('[data-step-next]').click();
    expect($<HTMLFieldSetElement>('[data-step="2"]').hidden).toBe(true);
    expect($<HTMLElement>('.form-error').hidden).toBe(false);
    expect($<HTMLElement>('.form-error').textContent).toMatch(/^Work email: /);
  });

  it('walks the steps, then flushes and navigates', async () => {
    const { ll, calls } = fakeLeadlight();
    const visited: string[] = [];
    installLeadForm(
      $('form'),
      () => ll,
      (url) => visited.push(url),
    );
    set('email', 'dana@kestrel.example');
    set('name', 'Dana Okafor');
    $<HTMLButtonElement>('[data-step-next]').click();
    expect($<HTMLFieldSetElement>('[data-step="1"]').hidden).toBe(true);
    expect($<HTMLFieldSetElement>('[data-step="2"]').hidden).toBe(false);
    expect(document.querySelectorAll('.steps li')[1]?.classList.contains('is-current')).toBe(true);
    set('company', 'Kestrel Bank');
    set('companySize', '600');
    set('role', 'vp');
    $<HTMLFormElement>('form').requestSubmit();
    await expect.poll(() => visited).toEqual(['/whitepaper/thank-you/']);
    expect(calls.flushes).toBe(1);
    expect(document.querySelectorAll('.steps li.is-done')).toHaveLength(2);
  });

  it('navigates even when the flush never answers', async () => {
    const { ll } = fakeLeadlight();
    ll.flush = () => new Promise(() => {});
    const visited: string[] = [];
    installLeadForm(
      $('form'),
      () => ll,
      (url) => visited.push(url),
      20,
    );
    for (const [k, v] of Object.entries({
      email: 'a@b.example',
      name: 'A',
      company: 'C',
      companySize: '600',
      role: 'vp',
    }))
      set(k, v);
    $<HTMLFormElement>('form').requestSubmit();
    await expect.poll(() => visited).toEqual(['/whitepaper/thank-you/']);
  });
});

describe('ScorePanel', () => {
  const score: ScoreResult = {
    total: 48.5,
    fit: 25,
    engagement: 23.5,
    stage: 'lead',
    mql: false,
    modelVersion: '2026-11-demo',
    modelHash: 'h',
    breakdown: [
      { rule: 'careers', kind: 'engagement', count: 1, points: -10 },
      { rule: 'pricing', kind: 'engagement', count: 2, points: 20 },
      { rule: 'big-company', kind: 'fit', count: 1, points: 15 },
      { rule: '<b>x</b>', kind: 'fit', count: 1, points: 10 },
    ],
  };

  it('shows the score, the stage and the reasons by weight, as text', () => {
    const panel = new ScorePanel(document);
    panel.render(score);
    expect(panel.root.querySelector('.ll-score')?.textContent).toBe('49');
    expect(panel.root.querySelector('.ll-stage')?.textContent).toBe('LEAD');
    const rows = [...panel.root.querySelectorAll('li')].map((li) => li.textContent);
    expect(rows).toEqual([
      'Viewed pricing ×2+20',
      'Company of 200++15',
      'Looked at careers−10',
      '<b>x</b>+10',
    ]);
    expect(panel.root.querySelector('b')).toBeNull();
  });

  it('folds and unfolds from a button that says which it is, and can start folded (phones)', () => {
    const panel = new ScorePanel(document, { collapsed: true });
    const toggle = panel.root.querySelector('button') as HTMLButtonElement;
    expect(panel.root.classList.contains('is-collapsed')).toBe(true);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.click();
    expect(panel.root.classList.contains('is-collapsed')).toBe(false);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(new ScorePanel(document).root.querySelector('button')?.getAttribute('aria-expanded')).toBe('true');
  });
});
