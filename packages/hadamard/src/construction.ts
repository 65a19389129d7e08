/**
 * Recipes: how this library builds a Hadamard matrix of a given order, as a small tree of
 * named constructions. Planning a recipe costs no matrix arithmetic; {@link buildConstruction}
 * turns one into the matrix.
 */

/** One step of a recipe; `order` is the order of the matrix the step produces. */
export type HadamardConstruction =
  | { readonly kind: 'sylvester'; readonly order: number }
  | { readonly kind: 'paley-i'; readonly order: number; readonly q: number }
  | { readonly kind: 'paley-ii'; readonly order: number; readonly q: number }
  | {
      readonly kind: 'kronecker';
      readonly order: number;
      readonly left: HadamardConstruction;
      readonly right: HadamardConstruction;
    }
  | {
      readonly kind: 'half-product';
      readonly order: number;
      readonly left: HadamardConstruction;
      readonly right: HadamardConstruction;
    };

/** The kinds of construction a recipe can use. */
export type HadamardConstructionKind = HadamardConstruction['kind'];

/** A one-line, human-readable account of a recipe, e.g. "Paley II (q = 17) ⊗ Sylvester(4)". */
export function formatConstruction(c: HadamardConstruction): string {
  switch (c.kind) {
    case 'sylvester':
      return `Sylvester(${c.order})`;
    case 'paley-i':
      return `Paley I (q = ${c.q})`;
    case 'paley-ii':
      return `Paley II (q = ${c.q})`;
    case 'kronecker':
      return `${wrap(c.left)} ⊗ ${wrap(c.right)}`;
    case 'half-product':
      return `half-product[${formatConstruction(c.left)}, ${formatConstruction(c.right)}]`;
  }
}

function wrap(c: HadamardConstruction): string {
  return c.kind === 'kronecker' ? `(${formatConstruction(c)})` : formatConstruction(c);
}
