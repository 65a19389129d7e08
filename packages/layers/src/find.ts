import { FixedClassifier } from './fixed-classifier';

/**
 * What the finders search: a `tf.LayersModel` / `tf.Sequential` (nested models included), or a
 * layer. Typed structurally so that a model of any compatible TF.js copy is accepted.
 */
export interface LayerContainer {
  readonly layers?: readonly unknown[];
}

/** Every FixedClassifier of a model, nested models included, in layer order. */
export function findFixedClassifiers(model: LayerContainer | FixedClassifier): FixedClassifier[] {
  const found: FixedClassifier[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (FixedClassifier.isFixedClassifier(node)) {
      found.push(node);
      return;
    }
    const nested = (node as LayerContainer).layers;
    if (Array.isArray(nested)) for (const layer of nested) visit(layer);
  };
  visit(model);
  return found;
}

/**
 * The model's FixedClassifier (the first, should it have several), or undefined for a model with
 * another head. Found by `FixedClassifier.isFixedClassifier`, so a layer revived by
 * `tf.loadLayersModel` or made by another copy of this package is found too.
 */
export function findFixedClassifier(model: LayerContainer | FixedClassifier): FixedClassifier | undefined {
  return findFixedClassifiers(model)[0];
}

/** α (the `scale` weight) of the model's FixedClassifier, or null when it has none. */
export function scaleOf(model: LayerContainer | FixedClassifier): number | null {
  return findFixedClassifier(model)?.getScale() ?? null;
}
