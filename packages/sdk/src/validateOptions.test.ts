// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOWNLOAD_EXTENSIONS, validateOptions } from './validateOptions.js';

describe('validateOptions', () => {
  it('fills defaults', () => {
    const { options, errors } = validateOptions({ siteKey: 'pk' }, 'https://site.example');
    expect(errors).toEqual([]);
    expect(options).toMatchObject({
      siteKey: 'pk',
      endpoint: 'https://site.example',
      consent: 'implied',
      honorPrivacySignals: true,
      serviceWorker: false,
      sessionMinutes: 30,
      downloadExtensions: DEFAULT_DOWNLOAD_EXTENSIONS,
    });
  });

  it('reports each bad option at its path and falls back to its default', () => {
    const { options, errors } = validateOptions(
      {
        siteKey: 'pk',
        consent: 'yes',
        cookieDays: -1,
        touchExitIntent: ['hidden', 'shake'],
        traitFields: { email: 'email' },
        redactParams: ['member_id', 7],
        engagement: 'yes',
        endpoint: 'collector',
        colour: 'red',
      },
      'https://site.example',
    );
    expect(errors).toEqual([
      { path: 'options.consent', message: 'expected "implied" | "required" | "local-only", got "yes"' },
      { path: 'options.cookieDays', message: 'expected a positive number, got -1' },
      {
        path: 'options.touchExitIntent[1]',
        message: 'expected "scroll-up" | "back" | "hidden", got "shake"',
      },
      { path: 'options.traitFields.email', message: 'expected a list, got "email"' },
      { path: 'options.redactParams[1]', message: 'expected a string, got 7' },
      { path: 'options.engagement', message: 'expected a boolean, got "yes"' },
      { path: 'options.endpoint', message: 'expected an absolute URL, got "collector"' },
      { path: 'options.colour', message: 'unknown option' },
    ]);
    expect(options).toMatchObject({
      consent: 'implied',
      cookieDays: 365,
      engagement: true,
      endpoint: 'https://site.example',
    });
  });

  it("holds the endpoint to the queue's rule (http(s)), as the queue does not check it again", () => {
    const { options, errors } = validateOptions({ siteKey: 'pk', endpoint: 'ftp://c.example' }, 'https://x');
    expect(errors).toEqual([
      { path: 'options.endpoint', message: 'expected an http(s) URL, got "ftp://c.example"' },
    ]);
    expect(options?.endpoint).toBe('https://x');
    // A file: or sandboxed page has no origin to default to: then there is no endpoint (and no queue).
    const opaque = validateOptions({ siteKey: 'pk' }, 'null');
    expect(opaque.errors).toEqual([
      { path: 'options.endpoint', message: 'expected an absolute URL, got "null"' },
    ]);
    expect(opaque.options?.endpoint).toBe('');
  });

  it('lower-cases the parameter names a site adds to redaction', () => {
    const { options, errors } = validateOptions({ siteKey: 'pk', redactParams: ['Member_ID'] }, 'https://x');
    expect(errors).toEqual([]);
    expect(options?.redactParams).toEqual(['member_id']);
    expect(validateOptions({ siteKey: 'pk' }, 'https://x').options?.redactParams).toEqual([]);
  });

  it('refuses to run without a site key or an options object', () => {
    expect(validateOptions({}, 'https://x').options).toBeUndefined();
    expect(validateOptions(null, 'https://x').errors).toEqual([
      { path: 'options', message: 'expected an object, got null' },
    ]);
  });
});
