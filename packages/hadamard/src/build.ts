/** Turns a recipe ({@link HadamardConstruction}) into its matrix. */
import type { HadamardConstruction } from './construction';
import { halfProduct } from './half-product';
import { kronecker } from './kronecker';
import { paleyI, paleyII } from './paley';
import { sylvester } from './sylvester';

/** The row-major order×order ±1 matrix a recipe describes. */
export function buildConstruction(c: HadamardConstruction): Int8Array {
  switch (c.kind) {
    case 'sylvester':
      return sylvester(c.order);
    case 'paley-i':
      return paleyI(c.q);
    case 'paley-ii':
      return paleyII(c.q);
    case 'kronecker':
      return kronecker(buildConstruction(c.left), c.left.order, buildConstruction(c.right), c.right.order);
    case 'half-product':
      return halfProduct(buildConstruction(c.left), c.left.order, buildConstruction(c.right), c.right.order);
  }
}
