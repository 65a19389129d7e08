/** Turns a recipe ({@link HadamardConstruction}) into its matrix. */
import { cooperWallis } from './baumert-hall';
import type { HadamardConstruction } from './construction';
import { differenceSetHadamard } from './difference-sets';
import { halfProduct } from './half-product';
import { kronecker } from './kronecker';
import { miyamoto } from './miyamoto';
import { paleyI, paleyII } from './paley';
import { sylvester } from './sylvester';
import { tMatrices } from './t-matrices';
import { williamsonHadamard, williamsonSequences } from './williamson';

/** The row-major order×order ±1 matrix a recipe describes. */
export function buildConstruction(c: HadamardConstruction): Int8Array {
  switch (c.kind) {
    case 'sylvester':
      return sylvester(c.order);
    case 'paley-i':
      return paleyI(c.q);
    case 'paley-ii':
      return paleyII(c.q);
    case 'williamson':
      return williamsonHadamard(c.w);
    case 'baumert-hall':
      return cooperWallis(tMatrices(c.t), williamsonSequences(c.w));
    case 'difference-sets':
      return differenceSetHadamard(c.v);
    case 'miyamoto':
      return miyamoto(c.q, buildConstruction(c.inner));
    case 'kronecker':
      return kronecker(buildConstruction(c.left), c.left.order, buildConstruction(c.right), c.right.order);
    case 'half-product':
      return halfProduct(buildConstruction(c.left), c.left.order, buildConstruction(c.right), c.right.order);
    default: {
      // Unreachable from typed code; a recipe read from JSON or built by hand can hold anything.
      const kind = (c as { kind?: unknown }).kind;
      throw new RangeError(
        `buildConstruction: unknown kind ${JSON.stringify(kind) ?? String(kind)}; expected one of ${CONSTRUCTION_KINDS.join(', ')}`,
      );
    }
  }
}

const CONSTRUCTION_KINDS: readonly HadamardConstruction['kind'][] = [
  'sylvester',
  'paley-i',
  'paley-ii',
  'williamson',
  'baumert-hall',
  'difference-sets',
  'miyamoto',
  'kronecker',
  'half-product',
];
