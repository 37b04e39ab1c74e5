// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetPage, type TestEnvironment, testEnvironment } from '../test/testEnvironment.js';
import { createLeadlight, type Leadlight } from './createLeadlight.js';

let env: TestEnvironment;
let ll: Leadlight;
const formEvents = () =>
  env
    .events()
    .filter((e) => e.type.startsWith('form_') || e.type === 'identify')
    .map(
      (e) =>
        ({ type: e.type, ...(e.props ?? {}), ...(e.traits ? { traits: e.traits } : {}) }) as Record<
          string,
          unknown
        >,
    );
const type = (el: Element, value: string) => {
  (el as HTMLInputElement).value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
};
const submit = (form: HTMLFormElement) =>
  form.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true }));

beforeEach(() => {
  resetPage();
  // jsdom does not implement form submission navigation: cancel it after our listener has seen it.
  window.addEventListener('submit', (e) => e.preventDefault());
  env = testEnvironment();
  ll = createLeadlight(env);
});
afterEach(() => ll.destroy());

const SIGNUP = `
  <form id="signup" action="/signup">
    <input name="email" type="email">
    <input name="company">
    <input name="password" type="password">
    <input name="token" type="hidden" value="secret-token">
    <input name="card" autocomplete="cc-number">
    <input name="notes" data-ll-ignore>
    <button type="submit">Go</button>
  </form>`;

describe('forms', () => {
  it('sends form_start on the first interaction, names only, then submit and an identify with the email', () => {
    ll.init({ siteKey: 'pk_test' });
    document.body.innerHTML = SIGNUP;
    const form = document.getElementById('signup') as HTMLFormElement;
    type(form.elements.namedItem('company') as Element, 'Acme');
    type(form.elements.namedItem('email') as Element, '  ada@example.com ');
    type(form.elements.namedItem('password') as Element, 'hunter2');
    type(form.elements.namedItem('card') as Element, '4111111111111111');
    type(form.elements.namedItem('notes') as Element, 'private');
    submit(form);
    expect(formEvents()).toEqual([
      { type: 'form_start', form: 'signup', fields: ['company'] },
      { type: 'form_submit', form: 'signup', fields: ['company', 'email'] },
      { type: 'identify', traits: { email: 'ada@example.com' } },
    ]);
    const wire = JSON.stringify(env.events());
    for (const secret of ['hunter2', '4111111111111111', 'secret-token', 'private', 'Acme']) {
      expect(wire).not.toContain(secret);
    }
  });

  it('never reads the value of password, card or hidden fields, even when mapped to traits', () => {
    ll.init({ siteKey: 'pk_test', traitFields: { email: ['email'], secret: ['password', 'token', 'card'] } });
    document.body.innerHTML = SIGNUP;
    const form = document.getElementById('signup') as HTMLFormElement;
    const reads: string[] = [];
    for (const name of ['password', 'token', 'card']) {
      const el = form.elements.namedItem(name) as HTMLInputElement;
      Object.defineProperty(el, 'value', {
        get: () => {
          reads.push(name);
          return 'x';
        },
      });
    }
    type(form.elements.namedItem('email') as Element, 'ada@example.com');
    submit(form);
    expect(reads).toEqual([]);
    expect(env.events().find((e) => e.type === 'identify')?.traits).toEqual({ email: 'ada@example.com' });
  });

  it('maps configured fields and data-ll-trait to traits; no identify without values', () => {
    ll.init({ siteKey: 'pk_test', traitFields: { email: ['work_email'], company: ['org'] } });
    document.body.innerHTML = `
      <form data-ll-form="contact"><input name="work_email"><input name="org"><select data-ll-trait="role" name="r"><option value="vp">VP</option></select></form>
      <form id="empty"><input name="work_email"></form>`;
    const [contact, empty] = Array.from(document.forms);
    type(contact!.elements.namedItem('work_email') as Element, 'Grace@Example.com');
    type(contact!.elements.namedItem('org') as Element, 'Navy');
    submit(contact!);
    submit(empty!);
    expect(
      env
        .events()
        .filter((e) => e.type === 'identify')
        .map((e) => e.traits),
    ).toEqual([{ email: 'Grace@Example.com', company: 'Navy', role: 'vp' }]);
  });

  it('names forms without id or name by action path, else by position; ignores shadowing inputs', () => {
    ll.init({ siteKey: 'pk_test' });
    document.body.innerHTML = `
      <form><input name="q"></form>
      <form action="/newsletter?x=1"><input name="e"></form>
      <form><input name="id"><input name="name"></form>`;
    const forms = Array.from(document.forms);
    type(forms[0]!.elements[0]!, 'a');
    type(forms[1]!.elements[0]!, 'b');
    type(forms[2]!.elements[0]!, 'c');
    expect(formEvents().map((e) => e.form)).toEqual(['form0', '/newsletter', 'form2']);
  });

  it('sends form_abandon for started, unsubmitted forms when the page is left or the SPA navigates', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      ll.init({ siteKey: 'pk_test' });
      document.body.innerHTML =
        '<form id="a"><input name="x"></form><form id="b"><input name="y"></form><form id="c"></form>';
      const [a, b] = Array.from(document.forms);
      type(a!.elements[0]!, '1');
      type(b!.elements[0]!, '2');
      submit(b!);
      history.pushState(null, '', '/next');
      vi.advanceTimersByTime(150);
      type(a!.elements[0]!, '3');
      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      expect(formEvents().map((e) => `${e.type}:${e.form}`)).toEqual([
        'form_start:a',
        'form_start:b',
        'form_submit:b',
        'form_abandon:a',
        'form_start:a',
        'form_abandon:a',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('skips forms and fields marked data-ll-ignore entirely', () => {
    ll.init({ siteKey: 'pk_test' });
    document.body.innerHTML =
      '<div data-ll-ignore><form id="a"><input name="x" type="email"></form></div><form id="b"><input name="y" data-ll-ignore></form>';
    const [a, b] = Array.from(document.forms);
    type(a!.elements[0]!, 'ada@example.com');
    submit(a!);
    type(b!.elements[0]!, 'z');
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    expect(formEvents()).toEqual([]);
  });

  it('counts a submit without prior interaction, and fields linked with form= outside the form', () => {
    ll.init({ siteKey: 'pk_test' });
    document.body.innerHTML = '<form id="f"></form><input form="f" name="outside" type="email">';
    const input = document.querySelector('input')!;
    type(input, 'ada@example.com');
    submit(document.forms[0]!);
    expect(formEvents().map((e) => e.type)).toEqual(['form_start', 'form_submit', 'identify']);
  });

  it('counts a submit only when the form passes its own constraints, also when the page cancels it', () => {
    ll.init({ siteKey: 'pk_test' });
    // As the demo's forms: native constraints, `novalidate`, and the page's script validates and cancels.
    document.body.innerHTML = `
      <form id="demo" novalidate>
        <input name="email" type="email" required><input name="company" data-ll-trait="company" required>
        <button type="submit">Go</button>
      </form>`;
    const form = document.forms[0]!;
    form.addEventListener('submit', (e) => e.preventDefault());
    const [email, company] = [
      form.elements.namedItem('email')!,
      form.elements.namedItem('company')!,
    ] as Element[];
    submit(form);
    type(email!, 'ada@');
    type(company!, 'Acme');
    submit(form);
    expect(formEvents()).toEqual([
      { type: 'form_invalid', form: 'demo', fields: [] },
      { type: 'form_invalid', form: 'demo', fields: ['email', 'company'] },
    ]);
    // Left after invalid attempts only: abandoned, not submitted.
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    expect(formEvents().at(-1)).toEqual({ type: 'form_abandon', form: 'demo', fields: ['email', 'company'] });
    type(email!, 'ada@example.com');
    submit(form);
    expect(formEvents().slice(-3)).toEqual([
      { type: 'form_start', form: 'demo', fields: ['email'] },
      { type: 'form_submit', form: 'demo', fields: ['email'] },
      { type: 'identify', traits: { email: 'ada@example.com', company: 'Acme' } },
    ]);
  });

  it('treats a field the page marked with setCustomValidity() as invalid', () => {
    ll.init({ siteKey: 'pk_test' });
    document.body.innerHTML = '<form id="f"><input name="email" type="email"></form>';
    const email = document.querySelector('input')!;
    type(email, 'ada@example.com');
    email.setCustomValidity('This address is already registered');
    submit(document.forms[0]!);
    email.setCustomValidity('');
    submit(document.forms[0]!);
    expect(formEvents().map((e) => e.type)).toEqual([
      'form_start',
      'form_invalid',
      'form_submit',
      'identify',
    ]);
  });

  it('leaves a data-ll-manual-submit form to the site, which confirms it with track()', () => {
    ll.init({ siteKey: 'pk_test' });
    document.body.innerHTML =
      '<form id="quote" data-ll-manual-submit><input name="email" type="email"><input name="size"></form>';
    const form = document.forms[0]!;
    type(form.elements[0]!, 'ada@example.com');
    submit(form);
    expect(formEvents().map((e) => e.type)).toEqual(['form_start']);
    // Its own checks passed: the site says so; a submitted form is never reported abandoned.
    ll.track('form_submit', { form: 'quote' });
    ll.identify({ email: 'ada@example.com' });
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    expect(formEvents()).toEqual([
      { type: 'form_start', form: 'quote', fields: ['email'] },
      { type: 'form_submit', form: 'quote' },
      { type: 'identify', traits: { email: 'ada@example.com' } },
    ]);
  });

  it('can be switched off', () => {
    ll.init({ siteKey: 'pk_test', forms: false });
    document.body.innerHTML = SIGNUP;
    type(document.querySelector('input')!, 'ada@example.com');
    submit(document.forms[0]!);
    expect(formEvents()).toEqual([]);
  });
});
