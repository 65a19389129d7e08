import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export type Initializer = ReturnType<typeof tfl.initializers.zeros>;

/** An initializer as a layer config stores it (what tfjs-layers writes for its own layers). */
export interface SerializedInitializer {
  className: string;
  config: tfc.serialization.ConfigDict;
}

function isInitializer(value: unknown): value is Initializer {
  return typeof value === 'object' && value !== null && typeof (value as Initializer).apply === 'function';
}

export function serializeInitializer(initializer: Initializer): SerializedInitializer {
  return { className: initializer.getClassName(), config: initializer.getConfig() };
}

/**
 * tfjs-layers keeps its own (de)serializer private; its initializers are registered classes,
 * so the registry resolves a saved `{ className, config }` back into an instance.
 */
export function resolveInitializer(
  value: Initializer | SerializedInitializer | undefined,
  fallback: () => Initializer,
  what: string,
): Initializer {
  if (value === undefined) return fallback();
  if (isInitializer(value)) return value;
  const entry = tfc.serialization.SerializationMap.getMap().classNameMap[value.className];
  if (entry === undefined) throw new Error(`${what}: unknown initializer class '${value.className}'`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, value.config) as Initializer;
}
