// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { API_METHODS, resetPage } from '../test/testEnvironment.js';
import { init } from './index.js';

describe('ES module init', () => {
  it('wires the real worker client and returns the same object on every call', async () => {
    resetPage();
    const ll = init({ siteKey: 'pk_esm', endpoint: 'https://collector.example', personalize: false });
    for (const m of API_METHODS) {
      expect(typeof (ll as unknown as Record<string, unknown>)[m]).toBe('function');
    }
    expect(init({ siteKey: 'pk_other' })).toBe(ll);
    expect(ll.anonymousId()).toMatch(/^[0-9a-f-]{36}$/);
    expect(() => ll.track('esm_event', { n: 1 })).not.toThrow();
    ll.destroy();
  });
});
