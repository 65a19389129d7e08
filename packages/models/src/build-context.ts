/**
 * What every family builder shares while it lays out one network: a seed source, so that
 * `createModel(name, { seed })` gives the same weights every time without giving two layers
 * of the same shape the same weights.
 */
export class BuildContext {
  private nextOffset = 0;

  constructor(readonly seed?: number) {}

  /** A fresh seed per initializer (undefined when the model is not seeded). */
  nextSeed(): number | undefined {
    if (this.seed === undefined) return undefined;
    this.nextOffset += 1;
    // Knuth's multiplicative hash spreads consecutive offsets over the 32-bit range.
    return (this.seed + Math.imul(this.nextOffset, 2654435761)) >>> 0;
  }
}
