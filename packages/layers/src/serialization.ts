import { serialization } from '@tensorflow/tfjs-core';

/**
 * Initializers and regularizers are saved in a layer's config as `{ className, config }`, the form
 * tfjs-layers itself writes, and revived through the serialization registry they are all
 * registered in. (tfjs-layers keeps its own helpers for this private.)
 */
export interface SerializedObject {
  className: string;
  config: serialization.ConfigDict;
}

export function serializeObject(object: serialization.Serializable | null | undefined): SerializedObject | null {
  if (object == null) return null;
  return { className: object.getClassName(), config: object.getConfig() };
}

export function reviveObject<T extends serialization.Serializable>(
  value: T | SerializedObject | null | undefined,
  what: string,
): T | undefined {
  if (value == null) return undefined;
  if (value instanceof serialization.Serializable) return value;
  const entry = serialization.SerializationMap.getMap().classNameMap[value.className];
  if (!entry) throw new Error(`FixedClassifier: unknown ${what} class '${value.className}' in config.`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, value.config) as T;
}
