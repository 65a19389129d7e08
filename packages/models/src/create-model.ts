import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BuildContext } from './build-context';
import { checkClassifierSpec, classifierHead, type ClassifierSpec } from './classifier-head';
import type { InputShape } from './model-definition';
import { getModelDefinition } from './registry';

export interface CreateModelOptions {
  /** Output units: 10 for CIFAR-10, 100 for CIFAR-100, 1000 for ImageNet. */
  numClasses: number;
  /** 'learned' (Dense, the baseline) or a fixed classifier. */
  classifier: ClassifierSpec;
  /** [height, width, channels] of one image, NHWC; the network's own size when left out. */
  inputShape?: InputShape | undefined;
  /** Seeds every initializer (each layer gets its own stream), for reproducible weights. */
  seed?: number | undefined;
  /** The LayersModel's name; the registry name when left out. */
  name?: string | undefined;
}

/** A value as JSON shows it, except numbers, which JSON turns into null when NaN or infinite. */
function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(shown).join(',')}]`;
  return JSON.stringify(value) ?? String(value);
}

function checkInputShape(shape: unknown, name: string, minSize: number): InputShape {
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw new Error(`createModel('${name}'): inputShape must be [height, width, channels] of positive integers, got ${shown(shape)}`);
  }
  const [h, w, c] = shape as [number, number, number];
  if (h < minSize || w < minSize) {
    throw new Error(`createModel('${name}'): inputShape ${shown(shape)} is too small; height and width must be at least ${minSize}`);
  }
  return [h, w, c];
}

/** 2^24 classes: 64 features already make a 4 GB learned head. */
const MAX_CLASSES = 2 ** 24;

/**
 * Builds a fresh network of the registry by name, e.g.
 * `createModel('resnet56', { numClasses: 10, classifier: 'hadamard' })`. The model maps NHWC images
 * to logits (no softmax); layer names follow the reference PyTorch module paths.
 */
export function createModel(name: string, options: CreateModelOptions): tfl.LayersModel {
  const definition = getModelDefinition(name);
  if (options === null || typeof options !== 'object') {
    throw new Error(`createModel('${name}'): options { numClasses, classifier } are required`);
  }
  const { numClasses, classifier, seed } = options;
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`createModel('${name}'): numClasses must be a positive integer, got ${shown(numClasses)}`);
  }
  if (numClasses > MAX_CLASSES) {
    // Past this a head's typed arrays cannot be allocated: TF.js said only "Invalid typed array length".
    throw new Error(
      `createModel('${name}'): numClasses ${numClasses} is more than a classifier head here can hold (at most ${MAX_CLASSES})`,
    );
  }
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new Error(`createModel('${name}'): seed must be an integer, got ${shown(seed)}`);
  }
  const inputShape = checkInputShape(options.inputShape ?? definition.defaultInputShape, name, definition.minInputSize);
  // Before the trunk allocates its weights (a ResNet-50's: 94 MB), which a refused head left behind.
  checkClassifierSpec(classifier, numClasses, definition);
  const ctx = new BuildContext(seed);
  const before = new Set(Object.keys(tfc.engine().registeredVariables));
  try {
    const input = tfl.input({ shape: [...inputShape], name: 'input' });
    const features = definition.buildFeatures(input, ctx);
    const logits = classifierHead(ctx, features, classifier, numClasses, definition);
    return tfl.model({ inputs: input, outputs: logits, name: options.name ?? name });
  } catch (error) {
    // What fails only once built (a polytope that does not fit the feature width) leaves no weights behind.
    for (const [variableName, variable] of Object.entries(tfc.engine().registeredVariables)) {
      if (!before.has(variableName)) variable.dispose();
    }
    // Errors of the layers built here (the head's) say which model they came from.
    if (error instanceof Error && !error.message.startsWith('createModel(')) {
      throw new Error(`createModel('${name}'): ${error.message}`, { cause: error });
    }
    throw error;
  }
}
