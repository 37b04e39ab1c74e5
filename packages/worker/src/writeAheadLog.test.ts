import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test/fakeQueueDeps.js';
import { clearAhead, readAhead, removeAhead, writeAhead } from './writeAheadLog.js';

/**
 * A Storage with a byte quota, throwing the browser's QuotaExceededError past it. Like localStorage, its
 * stored keys are its own enumerable properties (the methods live on the prototype).
 */
function quotaStorage(quota = Number.POSITIVE_INFINITY): Storage {
  const items = () => Object.keys(storage);
  const storage: Storage = Object.create({
    get length() {
      return items().length;
    },
    key: (i: number) => items()[i] ?? null,
    getItem: (k: string) => (Object.hasOwn(storage, k) ? (storage[k] as string) : null),
    setItem(k: string, v: string) {
      const used = items().reduce((sum, key) => sum + key.length + (storage[key] as string).length, 0);
      if (used + k.length + v.length > quota) throw new DOMException('full', 'QuotaExceededError');
      storage[k] = String(v);
    },
    removeItem: (k: string) => void delete storage[k],
    clear: () => {
      for (const key of items()) delete storage[key];
    },
  });
  return storage;
}

describe('writeAheadLog', () => {
  it('keeps one entry per event until removed, per site', () => {
    const storage = quotaStorage();
    const [a, b] = [makeEvent(), makeEvent()];
    writeAhead(storage, 'pk_a', a);
    writeAhead(storage, 'pk_a', b);
    writeAhead(storage, 'pk_b', makeEvent());
    expect(storage.length).toBe(3);
    expect(
      readAhead(storage, 'pk_a')
        .map((e) => e.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    removeAhead(storage, 'pk_a', [a.id]);
    expect(readAhead(storage, 'pk_a')).toEqual([b]);
    for (let i = 0; i < 20; i++) writeAhead(storage, 'pk_a', makeEvent());
    clearAhead(storage, 'pk_a');
    expect(readAhead(storage, 'pk_a')).toEqual([]);
    expect(readAhead(storage, 'pk_b')).toHaveLength(1);
    expect(storage.length).toBe(1);
  });

  it('swallows a full or missing storage, and drops torn entries', () => {
    const storage = quotaStorage(300);
    expect(() => writeAhead(storage, 'pk', makeEvent({ title: 'x'.repeat(400) }))).not.toThrow();
    expect(storage.length).toBe(0);
    storage.setItem('ll:q:pk:torn', '{"id":');
    storage.setItem('ll:q:pk:noid', '{"type":"page_view"}');
    expect(readAhead(storage, 'pk')).toEqual([]);
    expect(storage.length).toBe(0);
    expect(() => writeAhead(undefined, 'pk', makeEvent())).not.toThrow();
    expect(readAhead(undefined, 'pk')).toEqual([]);
    expect(() => clearAhead(undefined, 'pk')).not.toThrow();
  });
});
