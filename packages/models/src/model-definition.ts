import type * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext } from './build-context';

/** The data a network was designed for (its input size and downsampling): CIFAR's 32×32 or ImageNet's 224×224 images. */
export type TargetDataset = 'cifar' | 'imagenet';
/**
 * @deprecated Renamed `TargetDataset`: `Dataset` is @fixclf/datasets' dataset class. This alias goes in
 * the next major version.
 */
export type Dataset = TargetDataset;
/** [height, width, channels] of one image, NHWC; readonly, so @fixclf/datasets' `Dataset.shape` passes as it is. */
export type InputShape = readonly [height: number, width: number, channels: number];

/** One registered network: everything `createModel` needs besides the classifier head (read-only: the registry's entries are frozen). */
export interface ModelDefinition {
  /** The registry key, e.g. 'resnet56'. */
  readonly name: string;
  readonly family: string;
  readonly dataset: TargetDataset;
  /** [height, width, channels], NHWC. */
  readonly defaultInputShape: InputShape;
  /** The class count of the paper's experiment (CIFAR-10, CIFAR-100, ImageNet). */
  readonly defaultNumClasses: number;
  /** Smallest height/width the downsampling path survives. */
  readonly minInputSize: number;
  /** Name of the classifier layer, as in the reference implementation ('fc' or 'classifier'). */
  readonly headName: string;
  /** Initialisation of a learned Dense head, as the reference implementation does it. */
  readonly learnedHeadInit: 'pytorch-default' | 'normal-0.001';
  readonly description: string;
  /** The implementation whose layout (and parameter count) this follows. */
  readonly reference: string;
  /** Lays out the network from `input` to the pooled feature vector [batch, features]. */
  buildFeatures(input: tfl.SymbolicTensor, ctx: BuildContext): tfl.SymbolicTensor;
}
