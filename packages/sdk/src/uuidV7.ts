/** Makes UUID v7 ids (RFC 9562): 48-bit ms time, then a 12-bit counter so ids made in one ms still sort in order. */
export function createUuidV7(
  random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>,
): (ms: number) => string {
  let lastMs = -1;
  let counter = 0;
  return (ms) => {
    const b = random(new Uint8Array(16));
    if (ms <= lastMs) {
      // Same (or an earlier, clock went back) millisecond: count up so canonical order (ts, id) follows creation.
      ms = lastMs;
      if (++counter > 0xfff) {
        ms = ++lastMs;
        counter = 0;
      }
    } else {
      lastMs = ms;
      // Random start in the lower half leaves room to count within a millisecond.
      counter = (((b[6] ?? 0) << 8) | (b[7] ?? 0)) & 0x7ff;
    }
    for (let i = 5, t = ms; i >= 0; i--, t = Math.floor(t / 256)) b[i] = t % 256;
    b[6] = 0x70 | (counter >> 8);
    b[7] = counter & 0xff;
    b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
    let hex = '';
    for (const x of b) hex += (x < 16 ? '0' : '') + x.toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
