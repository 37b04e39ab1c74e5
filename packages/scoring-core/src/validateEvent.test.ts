import { describe, expect, it } from 'vitest';
import { validateEvent } from './validateEvent.js';

const good = {
  id: '0190a000-0000-7000-8000-000000000001',
  type: 'page_view',
  ts: 1767225600000,
  anonymousId: 'a1',
  path: '/',
};

describe('validateEvent', () => {
  it('accepts a wire event and custom types', () => {
    expect(validateEvent(good)).toEqual({ ok: true, event: good });
    expect(validateEvent({ ...good, type: 'video.play:50' }).ok).toBe(true);
    expect(
      validateEvent({ ...good, type: 'identify', traits: { email: 'a@b.c', companySize: 500 } }).ok,
    ).toBe(true);
    expect(validateEvent({ ...good, props: { fields: ['email', 'name'], ext: 'pdf', n: null } }).ok).toBe(
      true,
    );
  });

  it.each<[string, unknown, RegExp]>([
    ['a non-object', 'x', /^event: expected an object/],
    ['an unknown field', { ...good, extra: 1 }, /^extra: unknown event field/],
    ['a missing id', { ...good, id: undefined }, /^id:/],
    ['an upper-case type', { ...good, type: 'PageView' }, /^type:/],
    ['a text timestamp', { ...good, ts: '2026-01-01' }, /^ts:/],
    ['a missing anonymous id', { ...good, anonymousId: '' }, /^anonymousId:/],
    ['a numeric path', { ...good, path: 3 }, /^path: expected a string/],
    ['a huge url', { ...good, url: 'x'.repeat(5000) }, /^url: at most 4096/],
    ['nested props', { ...good, props: { a: { b: 1 } } }, /^props\.a: expected a string/],
    [
      'a prototype key',
      JSON.parse('{"id":"x","type":"page_view","ts":1,"anonymousId":"a","props":{"__proto__":{"x":1}}}'),
      /not an allowed name/,
    ],
    ['traits outside identify', { ...good, traits: { email: 'x' } }, /^traits: only identify/],
    [
      'too many props',
      { ...good, props: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i])) },
      /at most 64 entries/,
    ],
  ])('rejects %s and names the field', (_name, input, message) => {
    const result = validateEvent(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});
