import { densenetCifarDefinitions, densenetImagenetDefinitions } from './densenet';
import type { InputShape, ModelDefinition } from './model-definition';
import { resnetDefinitions } from './resnet';
import { resnetCifarDefinitions } from './resnet-cifar';
import { shufflenetDefinitions } from './shufflenet';

/** Every network of the paper's Table 1 and its siblings: CIFAR first, then ImageNet. */
const registry = new Map<string, ModelDefinition>();

/**
 * Adds a network under `definition.name` (timm-style). The built-in twelve are registered when the
 * package loads; a name can be registered once.
 */
export function registerModel(definition: ModelDefinition): void {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(definition.name)) {
    throw new Error(`registerModel: name '${definition.name}' must be lower-case letters, digits, '.', '_' or '-'`);
  }
  if (registry.has(definition.name)) throw new Error(`registerModel: a model named '${definition.name}' is already registered`);
  // A copy, frozen with its input shape: an entry handed out by getModelDefinition cannot change the
  // defaults of every later createModel.
  registry.set(
    definition.name,
    Object.freeze({ ...definition, defaultInputShape: Object.freeze([...definition.defaultInputShape]) as InputShape }),
  );
}

for (const definition of [
  ...resnetCifarDefinitions,
  ...densenetCifarDefinitions,
  ...resnetDefinitions,
  ...densenetImagenetDefinitions,
  ...shufflenetDefinitions,
]) {
  registerModel(definition);
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * Registered model names. `filter` is a glob ('resnet*', 'densenet1??') or a predicate over the
 * definitions (e.g. `(d) => d.dataset === 'cifar'`).
 */
export function listModels(filter?: string | ((definition: ModelDefinition) => boolean)): string[] {
  const definitions = [...registry.values()];
  if (filter === undefined) return definitions.map((d) => d.name);
  const keep = typeof filter === 'string' ? (d: ModelDefinition) => globToRegExp(filter).test(d.name) : filter;
  return definitions.filter(keep).map((d) => d.name);
}

/** The registry entry of `name` (input shape, class count and reference of the network). */
export function getModelDefinition(name: string): ModelDefinition {
  const definition = registry.get(name);
  if (definition === undefined) {
    throw new Error(`Unknown model '${name}'. Registered models: ${[...registry.keys()].join(', ')}`);
  }
  return definition;
}
