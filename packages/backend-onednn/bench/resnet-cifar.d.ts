// Types of resnet-cifar.js (plain JS so that the benchmark can run it against the built package).
import type * as tfjs from '@tensorflow/tfjs';

export function resnetCifar(
  tf: typeof tfjs,
  depth: number,
  options?: { seed?: number; numClasses?: number; inputSize?: number },
): tfjs.LayersModel;

export function trainingFlopsPerImage(model: tfjs.LayersModel): { forwardMacs: number; trainingFlops: number };

export function resnetCifarConvLayers(depth: number): [number, number, number, number, number, number, number][];
