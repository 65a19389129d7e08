import { invalidArgument } from '../errors';
import type { Size2 } from './spec';

/** Accepts torchvision's `size` forms: n for n × n, or [height, width]. */
export function toSize2(size: number | readonly number[], what: string): Size2 {
  const pair: unknown = typeof size === 'number' ? [size, size] : size;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v > 0)) {
    throw invalidArgument(`${what}: size must be a positive integer or [height, width] of positive integers, got ${JSON.stringify(size)}`);
  }
  return [pair[0] as number, pair[1] as number];
}

/** Python's round(): halves go to the even neighbour, which torchvision's crop arithmetic inherits. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
