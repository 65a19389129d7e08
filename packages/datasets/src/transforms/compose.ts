import { invalidArgument } from '../errors';
import type { TransformSpec } from './spec';

const KNOWN = new Set<TransformSpec['type']>([
  'randomCrop',
  'randomHorizontalFlip',
  'randomResizedCrop',
  'resize',
  'centerCrop',
  'normalize',
]);

/**
 * torchvision.transforms.Compose: a pipeline is a flat list applied in order; nested lists are flattened so
 * presets combine (`compose(imagenetTrain(), [randomHorizontalFlip(1)])`). Validates specs that arrive as
 * JSON (a saved run's preprocessing) so a typo fails here, naming the entry, not deep in a worker.
 */
export function compose(...parts: ReadonlyArray<TransformSpec | readonly TransformSpec[]>): TransformSpec[] {
  const flat = parts.flat() as TransformSpec[];
  flat.forEach((spec, i) => {
    if (typeof spec !== 'object' || spec === null || !KNOWN.has(spec.type)) {
      throw invalidArgument(`transform ${i}: unknown transform ${JSON.stringify(spec)}; expected one of ${[...KNOWN].join(', ')}`);
    }
  });
  return flat;
}
