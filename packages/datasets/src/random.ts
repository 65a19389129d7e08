// Seeded randomness with no dependency. Every random decision in the package (epoch order, per-sample
// augmentation, hold-out split, synthetic images) derives from an explicit integer seed, so two runs with
// one seed see the same data and a resumed run sees what an uninterrupted one would have.

/** A generator of uniform floats in [0, 1). */
export type Random = () => number;

// Math functions bound once: in a vm context (Jest's test sandbox) every global lookup goes through an
// interceptor, which makes a hot loop that says Math.sqrt about 100 times slower.
const { imul, floor } = Math;

/** mulberry32: a 32-bit state PRNG, fast and statistically good enough for augmentation and shuffling. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** murmur3's finaliser: spreads every input bit over the output so nearby seeds give unrelated streams. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes a tuple of integers (seed, epoch, sample index, ...) to one 32-bit seed. Order matters:
 * mixSeed(1, 2) !== mixSeed(2, 1). Non-integers and values beyond 32 bits are folded in through their
 * low and high words so large indices stay distinct.
 */
export function mixSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    const low = part >>> 0;
    const high = floor(part / 4294967296) >>> 0;
    h = fmix32(h ^ fmix32(low + 0x7f4a7c15));
    if (high !== 0) h = fmix32(h ^ fmix32(high + 0x632be59b));
  }
  return h;
}

/** A uniform integer in [low, high) (high exclusive), as torch.randint. */
export function randomInt(random: Random, low: number, high: number): number {
  return low + floor(random() * (high - low));
}

/** A uniform float in [low, high). */
export function uniform(random: Random, low: number, high: number): number {
  return low + random() * (high - low);
}

/** Fisher–Yates shuffle of 0..n-1 (or of `values`, copied). */
export function permutation(n: number, random: Random): Int32Array;
export function permutation(values: Int32Array, random: Random): Int32Array;
export function permutation(input: number | Int32Array, random: Random): Int32Array {
  const out = typeof input === 'number' ? Int32Array.from({ length: input }, (_, i) => i) : Int32Array.from(input);
  for (let i = out.length - 1; i > 0; i--) {
    const j = floor(random() * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
