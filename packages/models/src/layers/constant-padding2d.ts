import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Kwargs, LayerArgs, TfLayerArgs } from '@fixclf/layers/serialization';

type Shape = Array<number | null>;

export interface ConstantPadding2DArgs extends LayerArgs {
  /** Rows/columns added on every side of H and W. */
  padding: number;
  value: number;
}

/**
 * Pads H and W of an NHWC tensor with a constant. tfjs has only ZeroPadding2D; PyTorch's
 * MaxPool2d pads with −∞, which matters when the pooled values can be negative (ShuffleNet pools
 * straight after its first convolution, with no ReLU between). The value is stored as a finite
 * number (the lowest float32) because a saved model's JSON cannot hold −Infinity.
 */
export class ConstantPadding2D extends tfl.layers.Layer {
  static className = 'ConstantPadding2D';

  readonly padding: number;
  readonly value: number;

  constructor(args: ConstantPadding2DArgs) {
    super(args as TfLayerArgs); // undefined base options: TF.js reads them as not set
    if (!Number.isInteger(args.padding) || args.padding < 0) {
      throw new Error(`ConstantPadding2D: padding must be a non-negative integer, got ${args.padding}`);
    }
    if (!Number.isFinite(args.value)) throw new Error(`ConstantPadding2D: value must be finite, got ${args.value}`);
    this.padding = args.padding;
    this.value = args.value;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const grow = (size: number | null | undefined): number | null => (size == null ? null : size + 2 * this.padding);
    return [shape[0] ?? null, grow(shape[1]), grow(shape[2]), shape[3] ?? null];
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[], _kwargs: Kwargs): tfc.Tensor {
    return tfc.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tfc.Tensor4D;
      const p = this.padding;
      return tfc.pad(
        x,
        [
          [0, 0],
          [p, p],
          [p, p],
          [0, 0],
        ],
        this.value,
      );
    });
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding, value: this.value };
  }
}

tfc.serialization.registerClass(ConstantPadding2D);
