import { describe, expect, it } from 'vitest';
import { makeEvent } from '../test/fakeQueueDeps.js';
import { createWriteAheadLog } from './writeAheadLog.js';

/** A Storage with a byte quota, throwing the browser's QuotaExceededError past it. */
function quotaStorage(quota = Number.POSITIVE_INFINITY): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem(k, v) {
      const used = [...map].reduce((sum, [key, value]) => sum + key.length + value.length, 0);
      if (used + k.length + v.length > quota) throw new DOMException('full', 'QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => void map.delete(k),
    clear: () => map.clear(),
  };
}

describe('writeAheadLog', () => {
  it('keeps one entry per event until removed, per site', () => {
    const storage = quotaStorage();
    const wal = createWriteAheadLog(storage, 'pk_a');
    const other = createWriteAheadLog(storage, 'pk_b');
    const [a, b] = [makeEvent(), makeEvent()];
    expect(wal.write(a)).toBe(true);
    expect(wal.write(b)).toBe(true);
    other.write(makeEvent());
    expect(
      wal
        .readAll()
        .map((e) => e.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    wal.remove([a.id]);
    expect(wal.readAll()).toEqual([b]);
    wal.clear();
    expect(wal.readAll()).toEqual([]);
    expect(other.readAll()).toHaveLength(1);
  });

  it('reports a full storage instead of throwing, and drops torn entries', () => {
    const storage = quotaStorage(300);
    const wal = createWriteAheadLog(storage, 'pk');
    expect(wal.write(makeEvent({ title: 'x'.repeat(400) }))).toBe(false);
    storage.setItem('ll:q:pk:torn', '{"id":');
    expect(wal.readAll()).toEqual([]);
    expect(storage.getItem('ll:q:pk:torn')).toBeNull();
    expect(createWriteAheadLog(undefined, 'pk').write(makeEvent())).toBe(false);
  });
});
