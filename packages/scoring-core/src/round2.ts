/** Rounds to 2 decimals, without a negative zero. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100 || 0;
}
