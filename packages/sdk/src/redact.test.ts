import { describe, expect, it } from 'vitest';
import { redact } from './redact.js';

const BUILT_IN = [
  'email',
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  'code',
  'state',
  'key',
  'apikey',
  'api_key',
  'password',
  'secret',
  'sig',
  'signature',
  'session',
  'sid',
  'otp',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'X-Goog-Signature',
  'X-Goog-Credential',
];
const UTM = 'utm_source=news&utm_medium=mail&utm_campaign=spring&utm_term=crm&utm_content=hero';
const r = (text: string, names: string[] = []) => redact(text, names);

describe('redact: parameter values', () => {
  it.each(BUILT_IN)('redacts %s in the query and in the fragment, in any case', (name) => {
    expect(r(`https://a.example/p?${name}=v1&q=shoes#${name}=v2&x=1`)).toBe(
      `https://a.example/p?${name}=[redacted]&q=shoes#${name}=[redacted]&x=1`,
    );
    expect(r(`https://a.example/?${name.toUpperCase()}=v1`)).toBe(
      `https://a.example/?${name.toUpperCase()}=[redacted]`,
    );
  });

  it('redacts an OAuth implicit-flow fragment and a hash route with a query', () => {
    expect(r('https://app.example/cb#access_token=xyz&token_type=bearer&state=s1&expires_in=3600')).toBe(
      // token_type holds no secret, but names that contain "token" are redacted whole.
      'https://app.example/cb#access_token=[redacted]&token_type=[redacted]&state=[redacted]&expires_in=3600',
    );
    expect(r('https://app.example/#/callback?code=abc&state=s1')).toBe(
      'https://app.example/#/callback?code=[redacted]&state=[redacted]',
    );
  });

  it('redacts a signed S3 URL and keeps the rest of its shape', () => {
    expect(
      r(
        'https://b.s3.amazonaws.com/r.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20240101%2Fus-east-1&X-Amz-Date=20240101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=f00d',
      ),
    ).toBe(
      'https://b.s3.amazonaws.com/r.pdf?X-Amz-Algorithm=[redacted]&X-Amz-Credential=[redacted]&X-Amz-Date=[redacted]&X-Amz-Expires=[redacted]&X-Amz-SignedHeaders=[redacted]&X-Amz-Signature=[redacted]',
    );
  });

  it('matches short names whole, so look-alikes stay', () => {
    const kept = 'https://a.example/?keyword=k&design=d&side=s&codes=c&statement=s&hotpink=h';
    expect(r(kept)).toBe(kept);
  });

  it('keeps UTM parameters, and their names never match', () => {
    const url = `https://a.example/?${UTM}&code=abc`;
    expect(r(url)).toBe(`https://a.example/?${UTM}&code=[redacted]`);
    expect(r(url, ['member_id'])).toBe(`https://a.example/?${UTM}&code=[redacted]`);
  });

  it('redacts the names a site adds (given lower-case, matched in any case)', () => {
    expect(r('https://a.example/?Member_ID=42&ref=x&id=1#member_id=43', ['member_id', 'ref'])).toBe(
      'https://a.example/?Member_ID=[redacted]&ref=[redacted]&id=1#member_id=[redacted]',
    );
  });

  it('sees matrix parameters, empty values, names without values and unencoded nested URLs', () => {
    expect(r('https://a.example/app;jsessionid=ABC?utm_source=news')).toBe(
      'https://a.example/app;jsessionid=[redacted]?utm_source=news',
    );
    expect(r('https://a.example/?flag&code=&token=t')).toBe(
      'https://a.example/?flag&code=[redacted]&token=[redacted]',
    );
    expect(r('https://a.example/login?next=/cb?code=abc&x=1')).toBe(
      'https://a.example/login?next=/cb?code=[redacted]&x=1',
    );
  });
});

describe('redact: emails', () => {
  it.each([
    ['a path segment', 'https://a.example/u/jane@acme.com/edit', 'https://a.example/u/[email]/edit'],
    ['a path, encoded', 'https://a.example/u/jane%40acme.com', 'https://a.example/u/[email]'],
    ['a path, double-encoded', 'https://a.example/u/jane%2540acme.com', 'https://a.example/u/[email]'],
    ['a query value', 'https://a.example/?to=jane@acme.com&x=1', 'https://a.example/?to=[email]&x=1'],
    ['a query value, encoded', 'https://a.example/?to=jane%40acme.com', 'https://a.example/?to=[email]'],
    ['a query, double-encoded', 'https://a.example/?to=jane%2540acme.com', 'https://a.example/?to=[email]'],
    ['a fragment', 'https://a.example/#/invite/jane%40acme.com', 'https://a.example/#/invite/[email]'],
    ['a mailto link', 'mailto:jane.doe+news@acme.co.uk', 'mailto:[email]'],
    ['an encoded plus', 'https://a.example/?to=jane%2Bnews%40acme.com', 'https://a.example/?to=[email]'],
    [
      'an encoded URL nested in a value',
      'https://a.example/?next=%2Fu%3Fto%3Djane%2540acme.com%26utm_source%3Dnews',
      'https://a.example/?next=%2Fu%3Fto%3D[email]%26utm_source%3Dnews',
    ],
    ['a title', 'Welcome back, Jane.Doe@Acme.com!', 'Welcome back, [email]!'],
    ['a relative href', '/files/jane@acme.com/report.pdf', '/files/[email]/report.pdf'],
  ])('in %s', (_, text, expected) => {
    expect(r(text)).toBe(expected);
  });

  it('redacts the value of an email parameter whatever its encoding', () => {
    expect(r('https://a.example/?email=jane%2540acme.com&utm_source=news')).toBe(
      'https://a.example/?email=[redacted]&utm_source=news',
    );
  });

  it('leaves text with an @ that is not an address', () => {
    for (const text of [
      'https://medium.com/@jane',
      'https://registry.example/react@18.2.0',
      'Meet us @ the booth',
      'https://a.example/?q=%40home',
    ]) {
      expect(r(text)).toBe(text);
    }
  });
});

describe('redact: never throws', () => {
  it.each([
    ['a malformed encoding', 'https://a.example/%E0%A4%A?token=t&q=%E0%A4%A#jane%40acme.com%'],
    ['a lone percent sign', '%'],
    ['a relative URL', '?code=abc'],
    ['no query', 'https://a.example/pricing'],
    ['an empty string', ''],
    ['a lone surrogate', '\uD800?code=abc'],
    ['not a URL at all', ':::?&#;=='],
  ])('on %s', (_, text) => {
    expect(() => r(text)).not.toThrow();
  });

  it('redacts around bad encodings and keeps URLs without a query as they are', () => {
    expect(r('https://a.example/%E0%A4%A?token=t#jane%40acme.com%')).toBe(
      'https://a.example/%E0%A4%A?token=[redacted]#[email]%',
    );
    expect(r('https://a.example/pricing')).toBe('https://a.example/pricing');
    expect(r('?code=abc')).toBe('?code=[redacted]');
  });

  it('bounds the local part of an email at 64 characters, so long text with an @ stays linear', () => {
    const long = `${'a'.repeat(20_000)}@`;
    expect(r(long)).toBe(long);
    // Only the last 64 characters before the @ can belong to the match: the scan never backtracks further.
    expect(r(`${'b'.repeat(6)}${'a'.repeat(64)}@acme.com`)).toBe('bbbbbb[email]');
  });
});
