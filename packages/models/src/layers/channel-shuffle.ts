import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Kwargs, LayerArgs, TfLayerArgs } from '@fixclf/layers/serialization';

type Shape = Array<number | null>;

export interface ChannelShuffleArgs extends LayerArgs {
  groups: number;
}

/**
 * ShuffleNet's channel shuffle on an NHWC tensor: channels viewed as [groups, C/groups], transposed
 * to [C/groups, groups] and flattened again, so channel g·(C/groups) + j moves to j·groups + g —
 * the same permutation as the reference `view(N, g, C/g, H, W).transpose(1, 2)` on NCHW.
 * Parameter-free; one reshape-transpose-reshape (a copy of the activation) per call.
 */
export class ChannelShuffle extends tfl.layers.Layer {
  static className = 'ChannelShuffle';

  readonly groups: number;

  constructor(args: ChannelShuffleArgs) {
    super(args as TfLayerArgs); // undefined base options: TF.js reads them as not set
    if (!Number.isInteger(args.groups) || args.groups < 1) {
      throw new Error(`ChannelShuffle: groups must be a positive integer, got ${args.groups}`);
    }
    this.groups = args.groups;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape[shape.length - 1];
    if (shape.length !== 4 || typeof channels !== 'number' || channels % this.groups !== 0) {
      throw new Error(
        `ChannelShuffle '${this.name}': needs an NHWC input whose channels divide into ${this.groups} groups, got [${shape.join(', ')}]`,
      );
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[], _kwargs: Kwargs): tfc.Tensor {
    return tfc.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tfc.Tensor4D;
      if (this.groups === 1) return x.clone();
      const [n, h, w, c] = x.shape;
      const grouped = tfc.reshape(x, [n, h, w, this.groups, c / this.groups]);
      return tfc.reshape(tfc.transpose(grouped, [0, 1, 2, 4, 3]), [n, h, w, c]);
    });
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), groups: this.groups };
  }
}

tfc.serialization.registerClass(ChannelShuffle);
