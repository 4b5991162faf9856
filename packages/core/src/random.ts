/**
 * mulberry32: a small seeded PRNG, floats in [0, 1). The same seed gives the same sequence in every
 * browser and in Node, so generated fixtures, test noise and benchmark inputs repeat exactly.
 * Not for anything secret (nonces, keys): those use `crypto.getRandomValues`.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
