import type * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext } from './build-context';

/** The data a network was designed for (its input size and downsampling): CIFAR's 32×32 or ImageNet's 224×224 images. */
export type TargetDataset = 'cifar' | 'imagenet';
/**
 * @deprecated Renamed `TargetDataset`: `Dataset` is @fixclf/datasets' dataset class. This alias goes in
 * the next major version.
 */
export type Dataset = TargetDataset;
export type InputShape = [height: number, width: number, channels: number];

/** One registered network: everything `createModel` needs besides the classifier head. */
export interface ModelDefinition {
  /** The registry key, e.g. 'resnet56'. */
  name: string;
  family: string;
  dataset: TargetDataset;
  /** [height, width, channels], NHWC. */
  defaultInputShape: InputShape;
  /** The class count of the paper's experiment (CIFAR-10, CIFAR-100, ImageNet). */
  defaultNumClasses: number;
  /** Smallest height/width the downsampling path survives. */
  minInputSize: number;
  /** Name of the classifier layer, as in the reference implementation ('fc' or 'classifier'). */
  headName: string;
  /** Initialisation of a learned Dense head, as the reference implementation does it. */
  learnedHeadInit: 'pytorch-default' | 'normal-0.001';
  description: string;
  /** The implementation whose layout (and parameter count) this follows. */
  reference: string;
  /** Lays out the network from `input` to the pooled feature vector [batch, features]. */
  buildFeatures(input: tfl.SymbolicTensor, ctx: BuildContext): tfl.SymbolicTensor;
}
