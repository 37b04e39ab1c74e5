import { describe, expect, it } from 'vitest';
import { createUuidV7 } from './uuidV7.js';

const random = (bytes: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(bytes);

describe('createUuidV7', () => {
  it('encodes the millisecond time, version 7 and the RFC variant', () => {
    const id = createUuidV7(random)(Date.UTC(2026, 10, 22, 18, 0, 0, 123));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(
      Date.UTC(2026, 10, 22, 18, 0, 0, 123),
    );
  });

  it('sorts in creation order within one millisecond, across counter overflow and a clock going back', () => {
    const make = createUuidV7(random);
    const ids = [...Array.from({ length: 6000 }, () => make(1_000)), make(999), make(1_001)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
