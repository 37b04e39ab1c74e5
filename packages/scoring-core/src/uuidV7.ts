/** Makes UUID v7 ids (RFC 9562): 48-bit ms time, then a 12-bit counter so ids made in one ms still sort in order. */
export function createUuidV7(
  random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>,
): (ms: number) => string {
  let lastMs = -1;
  let counter = 0;
  return (ms) => {
    const b = random(new Uint8Array(8));
    if (ms > lastMs) {
      lastMs = ms;
      // Random start in the lower half leaves room to count within a millisecond.
      counter = (b[0]! << 4) & 0x7ff;
    } else if (++counter > 0xfff) {
      // Same (or an earlier, clock went back) millisecond: count up so canonical order (ts, id) follows creation.
      lastMs++;
      counter = 0;
    }
    b[0] = 0x80 | (b[0]! & 0x3f); // the RFC variant
    const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
    const tail = Array.from(b, (x) => hex(x, 2)).join('');
    const time = hex(lastMs, 12);
    return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(counter, 3)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
  };
}
