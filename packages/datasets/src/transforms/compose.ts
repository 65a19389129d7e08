import { DatasetError, invalidArgument } from '../errors';
import { centerCrop } from './center-crop';
import { normalize } from './normalize';
import { randomCrop } from './random-crop';
import { randomHorizontalFlip } from './random-horizontal-flip';
import { randomResizedCrop } from './random-resized-crop';
import { resize } from './resize';
import type { TransformSpec, TransformSpecInput } from './spec';

type Rebuild = { [K in TransformSpec['type']]: (spec: Extract<TransformSpecInput, { type: K }>) => TransformSpec };

/**
 * Each spec rebuilt by its own constructor: the same checks and defaults as a pipeline written in code
 * (a randomCrop without padding is torchvision's padding 0, not NaN offsets that read as an all-zero image).
 */
const REBUILD: Rebuild = {
  randomCrop: (s) => randomCrop(s.size, { padding: s.padding }),
  randomHorizontalFlip: (s) => randomHorizontalFlip(s.p),
  randomResizedCrop: (s) => randomResizedCrop(s.size, { scale: s.scale, ratio: s.ratio }),
  resize: (s) => resize(s.size),
  centerCrop: (s) => centerCrop(s.size),
  normalize: (s) => normalize(s.mean, s.std),
};

const KNOWN = Object.keys(REBUILD) as TransformSpec['type'][];

function rebuild(spec: TransformSpecInput, i: number): TransformSpec {
  try {
    return (REBUILD[spec.type] as (s: TransformSpecInput) => TransformSpec)(spec);
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    // The constructor's message starts with its name; say which entry of the list it is.
    const detail = error.message.startsWith(`${spec.type}: `) ? error.message.slice(spec.type.length + 2) : error.message;
    throw invalidArgument(`transform ${i} (${spec.type}): ${detail}`);
  }
}

/**
 * torchvision.transforms.Compose: a pipeline is a flat list applied in order; nested lists are flattened so
 * presets combine (`compose(imagenetTrain(), [randomHorizontalFlip(1)])`). Validates specs that arrive as
 * JSON (a saved run's preprocessing) so a typo fails here, naming the entry and field, not deep in a worker;
 * returns them as their constructors make them (sizes as [height, width], defaults filled in, one
 * mean/std per channel): `compose({ type: 'randomCrop', size: 32 })` is `[randomCrop(32)]`.
 */
export function compose(...parts: ReadonlyArray<TransformSpecInput | readonly TransformSpecInput[]>): TransformSpec[] {
  const flat = parts.flat() as TransformSpecInput[];
  return flat.map((spec, i) => {
    if (typeof spec !== 'object' || spec === null || !Object.hasOwn(REBUILD, spec.type)) {
      throw invalidArgument(`transform ${i}: unknown transform ${JSON.stringify(spec)}; expected one of ${KNOWN.join(', ')}`);
    }
    return rebuild(spec, i);
  });
}
