/** mulberry32: a seeded PRNG of numbers in [0, 1). */
export function seededRandom(seed: number): () => number;
