import type { TrackedEvent } from '@leadlight/scoring-core';
import { describe, expect, it } from 'vitest';
import { describeEvent } from './describeEvent.js';

const base: TrackedEvent = {
  id: 'e1',
  type: 'page_view',
  ts: 1,
  anonymousId: 'a',
  url: 'https://shop.example/pricing/',
  path: '/pricing/',
};

describe('describeEvent', () => {
  it('shows the path, the UTM tags or the outside referrer of a page view', () => {
    expect(describeEvent({ ...base, props: { utm_source: 'google', utm_medium: 'cpc' } })).toEqual({
      label: 'Viewed',
      detail: '/pricing/ · google / cpc',
    });
    expect(describeEvent({ ...base, referrer: 'https://www.linkedin.com/feed/' }).detail).toBe(
      '/pricing/ · from www.linkedin.com',
    );
    expect(describeEvent({ ...base, referrer: 'https://shop.example/' }).detail).toBe('/pricing/');
  });

  it('names downloads, CTAs, forms and identifies', () => {
    expect(describeEvent({ ...base, type: 'download', props: { file: 'guide.pdf' } })).toEqual({
      label: 'Downloaded',
      detail: 'guide.pdf',
    });
    expect(describeEvent({ ...base, type: 'cta_click', props: { cta: 'hero-demo' } }).detail).toBe(
      'hero-demo',
    );
    expect(describeEvent({ ...base, type: 'form_abandon', props: { form: 'demo-request' } }).label).toBe(
      'Abandoned form',
    );
    expect(describeEvent({ ...base, type: 'form_invalid', props: { form: 'demo-request' } })).toEqual({
      label: 'Tried to submit form (invalid)',
      detail: 'demo-request',
    });
    expect(
      describeEvent({
        ...base,
        type: 'identify',
        traits: { email: 'd@x.example', role: 'vp', company: 'Kestrel' },
      }).detail,
    ).toBe('d@x.example · vp · Kestrel');
    expect(describeEvent({ ...base, type: 'signup.trial' })).toEqual({
      label: 'signup.trial',
      detail: '/pricing/',
    });
  });

  it('says in words that a popup showed, and what engagement and visit events mean', () => {
    expect(describeEvent({ ...base, type: 'popup_shown', props: { popup: 'exit-guide' } })).toEqual({
      label: 'Saw popup',
      detail: 'exit-guide · /pricing/',
    });
    expect(
      describeEvent({ ...base, type: 'engagement', props: { engagedSeconds: 75, scrollDepth: 80 } }).detail,
    ).toBe('/pricing/ · 75s · scrolled 80%');
    expect(describeEvent({ ...base, type: 'session_start', props: { visitNumber: 3 } })).toEqual({
      label: 'Started a visit',
      detail: 'visit 3 · /pricing/',
    });
  });

  it('never turns markup in props into anything but text', () => {
    expect(
      describeEvent({ ...base, type: 'cta_click', props: { cta: '<img src=x onerror=alert(1)>' } }).detail,
    ).toBe('<img src=x onerror=alert(1)>');
  });
});
