// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { click, resetPage, type TestEnvironment, testEnvironment } from '../test/testEnvironment.js';
import { createLeadlight, type Leadlight } from './createLeadlight.js';

let env: TestEnvironment;
let ll: Leadlight;
const prevented: boolean[] = [];
// jsdom cannot navigate: stop it after our listener has run, and record whether anyone delayed the link.
const stopNavigation = (e: Event) => {
  prevented.push(e.defaultPrevented);
  e.preventDefault();
};
const of = (type: string) => env.events().filter((e) => e.type === type);

beforeEach(() => {
  resetPage();
  prevented.length = 0;
  window.addEventListener('click', stopNavigation);
  env = testEnvironment();
  ll = createLeadlight(env);
});
afterEach(() => {
  ll.destroy();
  window.removeEventListener('click', stopNavigation);
});

describe('downloads', () => {
  it('counts links to files with a listed extension, by left, middle and keyboard activation', () => {
    ll.init({ siteKey: 'pk_test' });
    document.body.innerHTML =
      '<a id="a" href="/files/Guide%202026.PDF?v=2">Guide</a><a id="b" href="/pricing">Pricing</a>';
    const a = document.getElementById('a')!;
    click(a);
    click(a, 'middle');
    click(a, 'keyboard');
    click(a, 'right');
    click(document.getElementById('b')!);
    expect(of('download')).toHaveLength(3);
    expect(of('download')[0]?.props).toEqual({
      href: 'http://localhost:3000/files/Guide%202026.PDF?v=2',
      file: 'Guide 2026.PDF',
      ext: 'pdf',
    });
    expect(prevented.every((p) => p === false)).toBe(true);
  });

  it('counts clicks on elements nested deep inside the link', () => {
    ll.init({ siteKey: 'pk_test' });
    document.body.innerHTML =
      '<a href="/kit.zip"><span><svg><path id="p"></path></svg><b id="t">Get</b></span></a>';
    click(document.getElementById('p')!);
    click(document.getElementById('t')!.firstChild as Element);
    expect(of('download').map((e) => e.props?.ext)).toEqual(['zip', 'zip']);
  });

  it('counts download and data-ll-download links whatever their extension, named by the attribute', () => {
    ll.init({ siteKey: 'pk_test' });
    document.body.innerHTML =
      '<a id="a" href="/export?id=4" download="report.csv">x</a><a id="b" href="/api/asset/7" data-ll-download="brochure">y</a><a id="c" href="/api/asset/8" download>z</a>';
    for (const id of ['a', 'b', 'c']) click(document.getElementById(id)!);
    expect(of('download').map((e) => [e.props?.file, e.props?.ext])).toEqual([
      ['report.csv', 'csv'],
      ['brochure', ''],
      ['8', ''],
    ]);
  });

  it('takes a configured extension list', () => {
    ll.init({ siteKey: 'pk_test', downloadExtensions: ['.STL'] });
    document.body.innerHTML = '<a id="a" href="/m/part.stl">x</a><a id="b" href="/m/doc.pdf">y</a>';
    click(document.getElementById('a')!);
    click(document.getElementById('b')!);
    expect(of('download').map((e) => e.props?.ext)).toEqual(['stl']);
  });

  it('can be switched off', () => {
    ll.init({ siteKey: 'pk_test', downloads: false });
    document.body.innerHTML = '<a id="a" href="/a.pdf">x</a>';
    click(document.getElementById('a')!);
    expect(of('download')).toHaveLength(0);
  });
});

describe('CTA clicks', () => {
  it('counts data-ll-cta clicks on children and on elements added after init', () => {
    ll.init({ siteKey: 'pk_test' });
    document.body.innerHTML =
      '<button data-ll-cta="demo"><span id="s">Book a <em id="e">demo</em></span></button>';
    click(document.getElementById('e')!);
    const late = document.createElement('div');
    late.innerHTML = '<a href="#trial" data-ll-cta="trial"><i id="i">→</i></a>';
    document.body.append(late);
    click(document.getElementById('i')!);
    expect(of('cta_click').map((e) => e.props)).toEqual([
      { cta: 'demo' },
      { cta: 'trial', href: 'http://localhost:3000/#trial' },
    ]);
  });

  it('counts configured selectors, named by id or text, once per click even when nested CTAs match', () => {
    ll.init({ siteKey: 'pk_test', ctaSelectors: ['.btn-primary', '#hero a'] });
    document.body.innerHTML =
      '<div id="hero"><a href="#x" class="btn-primary">  Start   free\n trial </a></div><button id="go" class="btn-primary">Go</button><div data-ll-cta="outer"><button data-ll-cta="inner" id="n">n</button></div>';
    click(document.querySelector('#hero a')!);
    click(document.getElementById('go')!);
    click(document.getElementById('n')!);
    expect(of('cta_click').map((e) => e.props?.cta)).toEqual(['Start free trial', 'go', 'inner']);
  });

  it('uses one delegated click listener whatever the number of links', () => {
    const added: string[] = [];
    const original = document.addEventListener.bind(document);
    document.addEventListener = ((type: string, ...rest: [EventListener, AddEventListenerOptions]) => {
      added.push(type);
      original(type, ...rest);
    }) as typeof document.addEventListener;
    try {
      document.body.innerHTML = '<a href="/a.pdf">x</a>'.repeat(200);
      ll.init({ siteKey: 'pk_test' });
    } finally {
      document.addEventListener = original;
    }
    expect(added.filter((t) => t === 'click')).toHaveLength(1);
  });

  it('counts a link that is both a CTA and a download as both', () => {
    ll.init({ siteKey: 'pk_test' });
    document.body.innerHTML = '<a id="a" href="/w.pdf" data-ll-cta="whitepaper">x</a>';
    click(document.getElementById('a')!);
    expect(env.events().map((e) => e.type)).toEqual(['session_start', 'page_view', 'download', 'cta_click']);
  });

  it('rejects an invalid selector in debug mode and keeps the rest working', () => {
    const warns: string[] = [];
    const original = console.warn;
    console.warn = (m: string) => void warns.push(m);
    try {
      ll.init({ siteKey: 'pk_test', debug: true, ctaSelectors: ['.ok', 'a[['] });
    } finally {
      console.warn = original;
    }
    expect(warns.join('\n')).toContain('options.ctaSelectors[1]: not a valid CSS selector');
    document.body.innerHTML = '<b data-ll-cta="x" id="b">b</b>';
    click(document.getElementById('b')!);
    expect(of('cta_click')).toHaveLength(1);
  });
});
