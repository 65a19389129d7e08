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
  | { readonly kind: 'williamson'; readonly order: number; readonly w: number }
  | { readonly kind: 'baumert-hall'; readonly order: number; readonly t: number; readonly w: number }
  | { readonly kind: 'difference-sets'; readonly order: number; readonly v: number }
  | { readonly kind: 'miyamoto'; readonly order: number; readonly q: number; readonly inner: HadamardConstruction }
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
    case 'williamson':
      return `Williamson (w = ${c.w})`;
    case 'baumert-hall':
      return c.w === 1
        ? `Goethals–Seidel with T-matrices (t = ${c.t})`
        : `Baumert–Hall units from T-matrices (t = ${c.t}) with Williamson matrices (w = ${c.w})`;
    case 'difference-sets':
      return `Goethals–Seidel with supplementary difference sets (v = ${c.v})`;
    case 'miyamoto':
      return `Miyamoto (q = ${c.q}, with ${formatConstruction(c.inner)})`;
    case 'kronecker':
      return `${wrap(c.left)} ⊗ ${wrap(c.right)}`;
    case 'half-product':
      return `half-product[${formatConstruction(c.left)}, ${formatConstruction(c.right)}]`;
  }
}

function wrap(c: HadamardConstruction): string {
  return c.kind === 'kronecker' ? `(${formatConstruction(c)})` : formatConstruction(c);
}
