import { invalidArgument } from './errors';
import type { Preprocessing } from './preprocessing';
import type { LoadedSource } from './sources/image-source';
import { describeTypicalSize } from './sources/typical-size';
import { compose } from './transforms/compose';
import { CIFAR_MEAN, CIFAR_STD, IMAGENET_MEAN, IMAGENET_STD } from './transforms/normalize';
import { outputSize } from './transforms/plan';
import { cifarEval, cifarTrain, imagenetEval, imagenetTrain, type Normalization } from './transforms/presets';
import { resize } from './transforms/resize';
import { toSize2 } from './transforms/size';
import type { TransformSpec, TransformSpecInput } from './transforms/spec';

/** The options of `openDataset` that choose the preprocessing. */
export interface PreprocessingOptions {
  /** Batch image size, n or [height, width]. Default: the images' typical size when ≤ 64 px (CIFAR), else 224. */
  readonly imageSize?: number | readonly [number, number] | undefined;
  /**
   * Training transforms: 'cifar' (pad 4, random crop, flip), 'imagenet' (RandomResizedCrop, flip), 'none'
   * (the evaluation transforms), or your own list. Default: 'cifar' for CIFAR, synthetic and images typically
   * ≤ 64 px (the most common size, or the median), 'imagenet' otherwise; preprocessing.reason says which and why.
   */
  readonly augmentation?: 'cifar' | 'imagenet' | 'none' | readonly TransformSpecInput[] | undefined;
  /** Evaluation transforms. Default: normalise only ('cifar'), or resize + centre crop + normalise ('imagenet'). */
  readonly evalTransforms?: readonly TransformSpecInput[] | undefined;
  /** Channel mean/std for the presets (default CIFAR's or ImageNet's statistics); false for values in [0, 1]. */
  readonly normalization?: Normalization | false | undefined;
  /** A saved preprocessing (dataset.preprocessing of a training run): replaces imageSize and both pipelines. */
  readonly preprocessing?: Preprocessing | undefined;
}

/** Images typically this small (CIFAR as JPEGs) get the CIFAR recipe; anything larger the ImageNet one. */
const SMALL_IMAGE = 64;

function lastNormalize(transforms: readonly TransformSpec[]): { mean: number[]; std: number[] } {
  const found = [...transforms].reverse().find((t) => t.type === 'normalize');
  return found?.type === 'normalize' ? { mean: [...found.mean], std: [...found.std] } : { mean: [0, 0, 0], std: [1, 1, 1] };
}

/** Why the recipe fits the data, for `preprocessing.reason`. */
function recipeGrounds(
  loaded: LoadedSource,
  native: { width: number; height: number } | undefined,
  small: boolean,
  options: PreprocessingOptions,
): string {
  if (options.augmentation === 'cifar' || options.augmentation === 'imagenet')
    return `augmentation '${options.augmentation}' was asked for`;
  if (loaded.family === 'cifar') return 'CIFAR images are 32×32';
  if (loaded.family === 'synthetic') return 'synthetic images are 32×32';
  const bound = `${SMALL_IMAGE}×${SMALL_IMAGE}`;
  const sizes = loaded.uniformSize
    ? `images are all ${loaded.uniformSize.width}×${loaded.uniformSize.height}`
    : loaded.typicalSize
      ? `images are ${describeTypicalSize(loaded.typicalSize)}`
      : undefined;
  if (sizes === undefined || native === undefined)
    return 'image sizes are unknown (no sampled image could be read), so not known to be small';
  return small ? `${sizes}, within ${bound}` : `${sizes}, larger than ${bound}`;
}

export /**
 * Chooses the pipelines: a saved run's, or the recipe that fits the data (CIFAR's for raw 32×32 sources and
 * folders of typically small images, ImageNet's otherwise), with the user's replacements applied. The
 * typical size is the most common one, so a few odd images do not switch a folder to 224×224 crops.
 */
function choosePreprocessing(loaded: LoadedSource, options: PreprocessingOptions): Preprocessing {
  if (options.preprocessing) {
    const p = options.preprocessing;
    const imageSize = toSize2(p.imageSize, 'preprocessing.imageSize');
    // A saved record keeps the reason its recipe was chosen for (on the training data); older records have none.
    const reason = p.reason ?? `${p.recipe ?? 'saved'} recipe, ${imageSize[1]}×${imageSize[0]} batches: given in options.preprocessing`;
    return { ...p, imageSize, channels: 3, train: compose(p.train), eval: compose(p.eval), reason };
  }
  const native = loaded.uniformSize ?? loaded.typicalSize;
  const small = native !== undefined && native.width <= SMALL_IMAGE && native.height <= SMALL_IMAGE;
  const recipe =
    options.augmentation === 'cifar' || options.augmentation === 'imagenet'
      ? options.augmentation
      : loaded.family !== 'folder' || small
        ? 'cifar'
        : 'imagenet';
  const imageSize = toSize2(options.imageSize ?? (recipe === 'cifar' && native ? [native.height, native.width] : 224), 'imageSize');
  const stats = recipe === 'cifar' ? { mean: CIFAR_MEAN, std: CIFAR_STD } : { mean: IMAGENET_MEAN, std: IMAGENET_STD };
  const norm = options.normalization ?? stats;
  let train: TransformSpec[];
  let evaluation: TransformSpec[];
  if (recipe === 'cifar') {
    // Images of another (or unknown) size are resized first; a resize to an image's own size is an exact
    // copy, so a size that was only guessed costs nothing.
    const known = loaded.uniformSize;
    const fit = known !== undefined && known.height === imageSize[0] && known.width === imageSize[1] ? [] : [resize(imageSize)];
    train = compose(fit, cifarTrain(imageSize, norm));
    evaluation = compose(fit, cifarEval(norm));
  } else {
    train = imagenetTrain(imageSize, norm);
    evaluation = imagenetEval(imageSize, norm);
  }
  if (options.evalTransforms) evaluation = compose(options.evalTransforms);
  if (options.augmentation === 'none') train = evaluation;
  else if (Array.isArray(options.augmentation)) train = compose(options.augmentation as readonly TransformSpecInput[]);
  const { mean, std } = lastNormalize(evaluation);
  const given = [
    options.imageSize !== undefined ? 'imageSize' : '',
    Array.isArray(options.augmentation) || options.augmentation === 'none' ? 'augmentation' : '',
    options.evalTransforms ? 'evalTransforms' : '',
  ].filter((name) => name !== '');
  const reason =
    `${recipe} recipe, ${imageSize[1]}×${imageSize[0]} batches: ${recipeGrounds(loaded, native, small, options)}` +
    (given.length > 0 ? `; ${given.join(', ')} as given` : '');
  return { imageSize, channels: 3, mean, std, train, eval: evaluation, recipe, reason };
}

export /** Fails early when a pipeline cannot give images of the dataset's size (known for uniform sources). */
function checkPipelines(preprocessing: Preprocessing, loaded: LoadedSource): void {
  if (loaded.uniformSize === undefined) return;
  for (const [name, transforms] of [
    ['train', preprocessing.train],
    ['eval', preprocessing.eval],
  ] as const) {
    const out = outputSize(transforms, loaded.uniformSize.width, loaded.uniformSize.height);
    if (out.height !== preprocessing.imageSize[0] || out.width !== preprocessing.imageSize[1]) {
      throw invalidArgument(
        `the ${name} transforms turn ${loaded.uniformSize.height}×${loaded.uniformSize.width} images into ${out.height}×${out.width}, but imageSize is ${preprocessing.imageSize.join('×')}`,
      );
    }
  }
}
