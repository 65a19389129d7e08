import { fixedClassifier, isMatrixKind, MATRIX_KINDS, type FixedClassifierLayerArgs, type MatrixKind } from '@fixclf/layers';
import * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext } from './build-context';
import { normal, pytorchLinearDefault } from './initializers';
import type { ModelDefinition } from './model-definition';

type SymbolicTensor = tfl.SymbolicTensor;

/** A FixedClassifier config; `units` comes from `numClasses` (and must agree with it if given). */
export type FixedClassifierConfig = Omit<FixedClassifierLayerArgs, 'units'> & { units?: number | undefined };

/**
 * 'learned': an ordinary Dense layer, the paper's baseline. A matrix kind ('hadamard',
 * 'orthogonal', 'simplex', 'orthoplex', 'cube'): the fixed classifier of @fixclf/layers with its
 * defaults. An object: a full FixedClassifier config.
 */
export type ClassifierSpec = ClassifierKind | FixedClassifierConfig;

/** A classifier by name: 'learned' (a Dense layer) or one of the matrix kinds of @fixclf/layers. */
export type ClassifierKind = 'learned' | MatrixKind;

/** Every `ClassifierKind`: 'learned', then @fixclf/layers' `MATRIX_KINDS`. */
export const classifierKinds: readonly ClassifierKind[] = Object.freeze(['learned', ...MATRIX_KINDS]);

export function isClassifierKind(value: unknown): value is ClassifierKind {
  return value === 'learned' || isMatrixKind(value);
}

function fixedConfig(spec: ClassifierSpec): FixedClassifierConfig | null {
  if (typeof spec === 'string') {
    if (spec === 'learned') return null;
    if (isMatrixKind(spec)) return { matrix: spec };
  } else if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    return spec;
  }
  throw new Error(`classifier: expected one of ${classifierKinds.join(', ')} or a FixedClassifier config, got ${JSON.stringify(spec)}`);
}

/**
 * Checks a classifier spec against numClasses before anything is built: a wrong kind, `units` that
 * disagree with numClasses, or FixedClassifier options its constructor refuses (it allocates nothing;
 * the projection itself is made, and checked against the feature width, when the head is built).
 */
export function checkClassifierSpec(spec: ClassifierSpec, numClasses: number, definition: ModelDefinition): void {
  const where = `createModel('${definition.name}')`;
  let fixed: FixedClassifierConfig | null;
  try {
    fixed = fixedConfig(spec);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
  if (fixed === null) return;
  if (fixed.units !== undefined && fixed.units !== numClasses) {
    const units = typeof fixed.units === 'number' ? String(fixed.units) : `${JSON.stringify(fixed.units)} (${typeof fixed.units})`;
    throw new Error(
      `${where}: classifier.units ${units} disagrees with numClasses ${numClasses}; leave units out, it comes from numClasses.`,
    );
  }
  try {
    fixedClassifier({ ...fixed, name: fixed.name ?? definition.headName, units: numClasses });
  } catch (error) {
    throw new Error(`${where}: classifier: ${(error as Error).message}`);
  }
}

/** Builds the classifier on the pooled features [batch, inputDim]; returns logits [batch, numClasses]. */
export function classifierHead(
  ctx: BuildContext,
  features: SymbolicTensor,
  spec: ClassifierSpec,
  numClasses: number,
  definition: ModelDefinition,
): SymbolicTensor {
  const inputDim = features.shape[features.shape.length - 1];
  if (typeof inputDim !== 'number') throw new Error(`classifier: the feature width of '${definition.name}' is unknown`);
  const fixed = fixedConfig(spec); // checked, with units, by checkClassifierSpec
  if (fixed !== null) {
    const seed = fixed.seed ?? ctx.nextSeed();
    const layer = fixedClassifier({
      ...fixed,
      // After the spread: `name: undefined` in a spec means the default, the reference head's name.
      name: fixed.name ?? definition.headName,
      units: numClasses,
      ...(seed === undefined ? {} : { seed }),
    });
    return layer.apply(features) as SymbolicTensor;
  }
  const pytorch = definition.learnedHeadInit === 'pytorch-default';
  return tfl.layers
    .dense({
      name: definition.headName,
      units: numClasses,
      kernelInitializer: pytorch ? pytorchLinearDefault(inputDim, ctx.nextSeed()) : normal(0.001, ctx.nextSeed()),
      biasInitializer: pytorch ? pytorchLinearDefault(inputDim, ctx.nextSeed()) : 'zeros',
    })
    .apply(features) as SymbolicTensor;
}
