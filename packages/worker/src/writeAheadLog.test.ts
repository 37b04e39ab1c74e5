import { describe, expect, it } from 'vitest';
import { makeEvent, quotaStorage } from '../test/fakeQueueDeps.js';
import { clearAhead, readAhead, removeAhead, trimAhead, writeAhead } from './writeAheadLog.js';

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

  it('trims a site to its newest entries', () => {
    const storage = quotaStorage();
    const events = Array.from({ length: 12 }, () => makeEvent());
    for (const e of events) writeAhead(storage, 'pk_a', e);
    writeAhead(storage, 'pk_b', makeEvent());
    trimAhead(storage, 'pk_a', 20);
    expect(readAhead(storage, 'pk_a')).toHaveLength(12);
    trimAhead(storage, 'pk_a', 5);
    expect(
      readAhead(storage, 'pk_a')
        .map((e) => e.id)
        .sort(),
    ).toEqual(events.slice(-5).map((e) => e.id));
    expect(readAhead(storage, 'pk_b')).toHaveLength(1);
    expect(() => trimAhead(undefined, 'pk_a', 5)).not.toThrow();
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
