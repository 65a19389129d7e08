/**
 * How a layer with initializer and regularizer options takes them and saves them, the way tfjs-layers'
 * own layers do (`tf.layers.dense({ biasInitializer: 'zeros', kernelRegularizer: 'l1l2' })`) — whose
 * helpers for this (`getInitializer`, `serializeInitializer`, …) tfjs-layers keeps private.
 *
 * Published as `@fixclf/layers/serialization`, for custom layers (those of `@fixclf/models` use it),
 * with the base option types such a layer extends, which tfjs-layers does not export by name.
 */
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, regularizers } from '@tensorflow/tfjs-layers';
import type { Initializer, Regularizer } from './tfjs-types';
import { describeValue } from './describe-value';

export type { Initializer, Kwargs, LayerArgs, Regularizer, TfLayerArgs } from './tfjs-types';

/**
 * An initializer or regularizer as a layer config stores it: `{ className, config }`, the form
 * tfjs-layers itself writes. It is revived through the serialization registry in which every TF.js
 * initializer and regularizer is registered.
 */
export interface SerializedObject {
  className: string;
  config: serialization.ConfigDict;
}

/**
 * The initializer names a TF.js layer accepts in place of an instance (`biasInitializer: 'zeros'`),
 * less the two that cannot work without arguments ('constant' needs a value, 'identity' a square
 * matrix). Each means the `tf.initializers` function of that name with its defaults.
 */
export type InitializerIdentifier =
  | 'zeros'
  | 'ones'
  | 'glorotNormal'
  | 'glorotUniform'
  | 'heNormal'
  | 'heUniform'
  | 'leCunNormal'
  | 'leCunUniform'
  | 'randomNormal'
  | 'randomUniform'
  | 'truncatedNormal'
  | 'varianceScaling'
  | 'orthogonal';

/**
 * The regularizer names accepted in place of an instance: 'l1l2' (what tfjs-layers accepts), and 'l1'
 * and 'l2' as Keras accepts them. Each has the Keras default factor 0.01 (`tf.regularizers.l2()`).
 */
export type RegularizerIdentifier = 'l1' | 'l2' | 'l1l2';

const INITIALIZER_FACTORIES: Record<InitializerIdentifier, () => Initializer> = {
  zeros: () => initializers.zeros(),
  ones: () => initializers.ones(),
  glorotNormal: () => initializers.glorotNormal({}),
  glorotUniform: () => initializers.glorotUniform({}),
  heNormal: () => initializers.heNormal({}),
  heUniform: () => initializers.heUniform({}),
  leCunNormal: () => initializers.leCunNormal({}),
  leCunUniform: () => initializers.leCunUniform({}),
  randomNormal: () => initializers.randomNormal({}),
  randomUniform: () => initializers.randomUniform({}),
  truncatedNormal: () => initializers.truncatedNormal({}),
  varianceScaling: () => initializers.varianceScaling({}),
  orthogonal: () => initializers.orthogonal({}),
};

const REGULARIZER_FACTORIES: Record<RegularizerIdentifier, () => Regularizer> = {
  l1: () => regularizers.l1({ l1: 0.01 }),
  l2: () => regularizers.l2({ l2: 0.01 }),
  l1l2: () => regularizers.l1l2({ l1: 0.01, l2: 0.01 }),
};

/** Every `InitializerIdentifier`. */
export const INITIALIZER_IDENTIFIERS = Object.freeze(Object.keys(INITIALIZER_FACTORIES)) as readonly InitializerIdentifier[];
/** Every `RegularizerIdentifier`. */
export const REGULARIZER_IDENTIFIERS = Object.freeze(Object.keys(REGULARIZER_FACTORIES)) as readonly RegularizerIdentifier[];

/**
 * Duck-typed rather than `instanceof serialization.Serializable`, so an initializer made by another
 * copy of TF.js (a bundled one, or the CommonJS build beside the ESM one) is still recognised.
 */
function isSerializable(value: unknown): value is serialization.Serializable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as serialization.Serializable).getClassName === 'function' &&
    typeof (value as serialization.Serializable).getConfig === 'function'
  );
}

/** `{ className, config }` of an initializer or regularizer, for `getConfig()`; null for none. */
export function serializeObject(object: serialization.Serializable | null | undefined): SerializedObject | null {
  if (object == null) return null;
  return { className: object.getClassName(), config: object.getConfig() };
}

/**
 * An instance back from what a layer's args hold: the instance itself, or a saved
 * `{ className, config }` looked up in the serialization registry. `what` names the option in errors
 * (e.g. "FixedClassifier biasInitializer"). Undefined for null or undefined.
 */
export function reviveObject<T extends serialization.Serializable>(
  value: T | SerializedObject | null | undefined,
  what: string,
): T | undefined {
  if (value == null) return undefined;
  if (isSerializable(value)) return value as T;
  if (typeof value !== 'object' || typeof (value as SerializedObject).className !== 'string') {
    throw new Error(
      `${what}: expected an instance or a saved { className, config }, got ${typeof value === 'object' && !Array.isArray(value) ? 'an object without className' : describeValue(value)}.`,
    );
  }
  const entry = serialization.SerializationMap.getMap().classNameMap[value.className];
  if (!entry) throw new Error(`${what}: unknown class '${value.className}' in config (is the module that registers it imported?).`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, value.config ?? {}) as T;
}

/**
 * An initializer from a layer option: an instance, an `InitializerIdentifier` such as 'zeros', or a
 * saved `{ className, config }`. A registered class name ('Zeros', or a custom initializer's) is
 * accepted too at run time, with an empty config, as tfjs-layers does for configs read from JSON; the
 * type leaves it out so that a misspelt identifier is a compile error (pass an instance instead).
 * Undefined for null or undefined.
 */
export function resolveInitializer(
  value: Initializer | InitializerIdentifier | SerializedObject | null | undefined,
  what: string,
): Initializer | undefined {
  if (typeof value === 'string') return fromIdentifier(value, INITIALIZER_FACTORIES, what, 'an initializer');
  return reviveObject<Initializer>(value, what);
}

/**
 * A regularizer from a layer option: an instance, a `RegularizerIdentifier` ('l1', 'l2', 'l1l2'), or a
 * saved `{ className, config }`; a registered class name ('L1L2') is accepted too at run time (not
 * by the type, as for initializers). Undefined for null or undefined.
 */
export function resolveRegularizer(
  value: Regularizer | RegularizerIdentifier | SerializedObject | null | undefined,
  what: string,
): Regularizer | undefined {
  if (typeof value === 'string') return fromIdentifier(value, REGULARIZER_FACTORIES, what, 'a regularizer');
  return reviveObject<Regularizer>(value, what);
}

function fromIdentifier<T>(identifier: string, factories: Record<string, () => T>, what: string, kind: string): T {
  const factory = Object.prototype.hasOwnProperty.call(factories, identifier) ? factories[identifier] : undefined;
  if (factory) return factory();
  if (Object.prototype.hasOwnProperty.call(serialization.SerializationMap.getMap().classNameMap, identifier)) {
    return reviveObject({ className: identifier, config: {} }, what) as T;
  }
  throw new Error(`${what}: unknown identifier '${identifier}'; expected ${kind}, or one of ${Object.keys(factories).join(', ')}.`);
}
