import { type Tensor, type Tensor2D, add, cast, matMul, mul, serialization, softmax, tensor2d, tidy, keep } from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import type { DisposeResult, Initializer, Kwargs, LayerArgs, Regularizer, TfLayerArgs } from './tfjs-types';
import { normalizedHadamard } from './ops/normalized-hadamard';
import { l2Normalize } from './ops/l2-normalize';
import { buildProjection, isMatrixKind, projectionKind, MATRIX_KINDS, type MatrixKind, type Projection } from './projections';
import { randomSeed } from './random';
import { describeValue } from './describe-value';
import {
  resolveInitializer,
  resolveRegularizer,
  serializeObject,
  type InitializerIdentifier,
  type RegularizerIdentifier,
  type SerializedObject,
} from './serialization';

export interface FixedClassifierLayerArgs extends LayerArgs {
  /** Number of classes: the output dimension. */
  units: number;
  /** The fixed matrix. Default 'hadamard', the paper's choice. */
  matrix?: MatrixKind | undefined;
  /**
   * Initial α, the learned inverse temperature, on unit-norm class vectors. Defaults follow the
   * reference code: √(inputDim/units) for 'hadamard' (its 1/√C on the ±1 matrix), 10 otherwise.
   */
  scale?: number | undefined;
  /** Whether α is learned (default true); false keeps a fixed temperature. */
  trainableScale?: boolean | undefined;
  /** Whether to add a learned bias (default true). */
  useBias?: boolean | undefined;
  /**
   * Bias initializer: an instance (`tf.initializers.zeros()`) or its name ('zeros'), as tfjs-layers'
   * own layers take it. Default: U(±1/√units) for 'hadamard' (as the reference), zeros otherwise.
   */
  biasInitializer?: Initializer | InitializerIdentifier | SerializedObject | undefined;
  /**
   * Regularizer of α: an instance (`tf.regularizers.l2({ l2: 1e-4 })`) or a name ('l1', 'l2', 'l1l2':
   * factor 0.01). The paper decays α with the rest of the network.
   */
  scaleRegularizer?: Regularizer | RegularizerIdentifier | SerializedObject | undefined;
  /** Regularizer of the bias, as `scaleRegularizer`. */
  biasRegularizer?: Regularizer | RegularizerIdentifier | SerializedObject | undefined;
  /** Seed of random matrices ('orthogonal') and of the default bias initializer. */
  seed?: number | undefined;
  /** ε in x / (‖x‖₂ + ε). Default 1e-8, as the reference. */
  epsilon?: number | undefined;
  /**
   * 'linear' (default) outputs logits, as the paper; 'softmax' outputs probabilities, for a drop-in
   * replacement of `tf.layers.dense({ units, activation: 'softmax' })`.
   */
  activation?: FixedClassifierActivation | undefined;
}

export type FixedClassifierActivation = 'linear' | 'softmax';

/** What the layer's projection is and how it is computed. */
export interface ProjectionSummary {
  matrix: MatrixKind;
  inputDim: number;
  units: number;
  /** Order of the fast Hadamard transform that replaces the matrix product, or null (dense). */
  fastTransformOrder: number | null;
  /** Why the geometry falls short of orthogonal classes, when it does. */
  warning: string | null;
}

/**
 * Marks FixedClassifier instances across copies of this package: a global symbol on the prototype,
 * whose value is the version of the accessor API (`scaleVariable`, `getScale`, …) the copy provides.
 */
const BRAND = Symbol.for('@fixclf/layers:FixedClassifier');
const BRAND_VERSION = 1;

/**
 * The fixed classifier of Hoffer, Hubara & Soudry (ICLR 2018): a drop-in replacement for the last
 * Dense layer computing `y = α · normalize(x) · P + b`, where P ([inputDim, units]) is a fixed,
 * never-trained matrix, α a single learned scalar and b a learned bias. Its only weights are α
 * ('scale') and b ('bias'); P is rebuilt from the config (and seed) and never saved.
 *
 * α is called `scale` throughout the API (the option, the weight, `scaleVariable`, `getScale()`),
 * as in the reference implementation; the `fixclf` CLI and its logs call it `alpha`.
 */
export class FixedClassifier extends layers.Layer {
  /** The serialization name: saved models refer to the layer by it. */
  static className = 'FixedClassifier';

  /**
   * Whether `value` is a FixedClassifier, also one made by another copy of @fixclf/layers (two
   * versions in node_modules, or the CommonJS build beside the ESM one, or a model loaded with
   * `tf.loadLayersModel`, which builds the layer with whichever copy registered the class last).
   * `instanceof FixedClassifier` gives the same answer.
   */
  static isFixedClassifier(value: unknown): value is FixedClassifier {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === BRAND_VERSION;
  }

  /** `x instanceof FixedClassifier` by the brand; subclasses keep the ordinary prototype check. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== FixedClassifier) return Function.prototype[Symbol.hasInstance].call(this, value);
    return FixedClassifier.isFixedClassifier(value);
  }

  readonly units: number;
  readonly matrix: MatrixKind;
  readonly trainableScale: boolean;
  readonly useBias: boolean;
  readonly seed: number;
  readonly epsilon: number;
  readonly activation: FixedClassifierActivation;
  private readonly initialScale: number | undefined;
  private readonly biasInitializer: Initializer | undefined;
  private readonly scaleRegularizer: Regularizer | undefined;
  private readonly biasRegularizer: Regularizer | undefined;

  private scaleWeight: LayerVariable | null = null;
  private biasWeight: LayerVariable | null = null;
  /**
   * How the layer multiplies by P, without P itself: as float64, P took 8·inputDim·units bytes of heap
   * (16 MB for 2048 → 1000) that only getProjection() read.
   */
  private projection: Omit<Projection, 'matrix' | 'factors'> | null = null;
  /** P as a tensor, for the dense path. */
  private projectionTensor: Tensor2D | null = null;
  /** The polytope mix after a fast transform, when there is one. */
  private mixTensor: Tensor2D | null = null;

  constructor(args: FixedClassifierLayerArgs) {
    // Its base options may be undefined, which TF.js's Layer reads as not set (see LayerArgs).
    super(args as TfLayerArgs);
    if (args == null || !Number.isInteger(args.units) || args.units < 1) {
      throw new Error(`FixedClassifier: units must be a positive integer, got ${describeValue(args?.units)}.`);
    }
    const matrix = args.matrix ?? 'hadamard';
    if (!isMatrixKind(matrix)) {
      throw new Error(`FixedClassifier: unknown matrix '${String(matrix)}'; expected one of ${MATRIX_KINDS.join(', ')}.`);
    }
    // null is "not set", as for the other options and in TF.js's own configs ("seed": null).
    if (args.scale != null && !(Number.isFinite(args.scale) && args.scale > 0)) {
      throw new Error(`FixedClassifier: scale (the initial α) must be a positive number, got ${describeValue(args.scale)}.`);
    }
    const epsilon = args.epsilon ?? 1e-8;
    if (!(Number.isFinite(epsilon) && epsilon > 0)) {
      throw new Error(`FixedClassifier: epsilon must be a positive number, got ${describeValue(args.epsilon)}.`);
    }
    if (args.seed != null && !Number.isInteger(args.seed)) {
      throw new Error(`FixedClassifier: seed must be an integer, got ${describeValue(args.seed)}.`);
    }
    const activation = args.activation ?? 'linear';
    if (activation !== 'linear' && activation !== 'softmax') {
      throw new Error(`FixedClassifier: activation must be 'linear' or 'softmax', got '${String(activation)}'.`);
    }
    this.activation = activation;
    this.units = args.units;
    this.matrix = matrix;
    this.initialScale = args.scale ?? undefined;
    this.trainableScale = args.trainableScale ?? true;
    this.useBias = args.useBias ?? true;
    this.seed = args.seed ?? randomSeed();
    this.epsilon = epsilon;
    this.biasInitializer = resolveInitializer(args.biasInitializer, 'FixedClassifier biasInitializer');
    this.scaleRegularizer = resolveRegularizer(args.scaleRegularizer, 'FixedClassifier scaleRegularizer');
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer, 'FixedClassifier biasRegularizer');
    this.supportsMasking = false;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.checkInputShape(inputShape);
    const inputDim = shape[1]!;
    const kind = projectionKind(this.matrix);
    // P itself is read only on the dense path: an overcomplete Hadamard head builds it when read.
    const projection = buildProjection(this.matrix, inputDim, this.units, this.seed);
    const { fast, factors, warning } = projection;
    if (warning) console.warn(warning);

    const alpha = this.initialScale ?? kind.defaultScale(inputDim, this.units);
    this.scaleWeight = this.addWeight(
      'scale',
      [], // a scalar: TF.js multiplies by a scalar without its slow broadcasting path
      'float32',
      initializers.constant({ value: alpha }),
      this.scaleRegularizer,
      this.trainableScale,
    );
    if (this.useBias) {
      const range = kind.defaultBiasRange(this.units);
      const init =
        this.biasInitializer ??
        (range > 0 ? initializers.randomUniform({ minval: -range, maxval: range, seed: this.seed }) : initializers.zeros());
      const refused = (why: string): Error =>
        new Error(
          `FixedClassifier '${this.name}': biasInitializer cannot initialize the bias, a vector of ${this.units}: ${why} ` +
            "Use a vector initializer ('zeros', 'ones', 'randomUniform', 'randomNormal', …).",
        );
      try {
        this.biasWeight = this.addWeight('bias', [this.units], 'float32', init, this.biasRegularizer, true);
      } catch (error) {
        // An initializer for matrices ('orthogonal', 'identity') fails on the bias vector with TF.js's bare "Shape must be at least 2D".
        throw refused((error as Error).message);
      }
      // Any registered class name is revived, a regularizer's too ('L1L2'), whose apply gave a scalar that TF.js kept as the bias.
      const got = this.biasWeight.shape;
      if (got.length !== 1 || got[0] !== this.units) {
        throw refused(`it gave a tensor of shape [${got.join(', ')}] (is ${init.getClassName()} an initializer?).`);
      }
    }

    if (fast) {
      if (fast.mix) this.mixTensor = keep(tensor2d(Float32Array.from(fast.mix), [fast.outputs, this.units]));
    } else if (factors) {
      this.projectionTensor = keep(tensor2d(Float32Array.from(factors.frame), [inputDim, factors.dim]));
      this.mixTensor = keep(tensor2d(Float32Array.from(factors.mix), [factors.dim, this.units]));
    } else {
      this.projectionTensor = keep(tensor2d(Float32Array.from(projection.matrix), [inputDim, this.units]));
    }
    this.projection = { kind: projection.kind, inputDim, units: this.units, fast, warning };
    // Rank 2 exactly, also for tensors applied later: the fast kernels read [batch, features] and
    // would mix the rows of a [batch, steps, features] tensor without an error.
    this.inputSpec = [{ ndim: 2, axes: { [-1]: inputDim } }];
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = this.checkInputShape(inputShape);
    return [shape[0] ?? null, this.units];
  }

  /** The input shape as [batch, features] with known features, or an error that says what to add. */
  private checkInputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape);
    if (shape.length !== 2 || shape[1] == null) {
      throw new Error(
        `FixedClassifier '${this.name}': expects input of shape [batch, features] with a known number of ` +
          `features, got [${shape.map((d) => (d == null ? 'null' : d)).join(', ')}]. ` +
          'Add a Flatten or GlobalAveragePooling2D layer before it.',
      );
    }
    return shape;
  }

  override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
    return tidy(() => {
      const input = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor2D;
      // Integer features (pixel counts, one-hot codes) are read as float32, as tf.layers.dense reads
      // them; the head's own kernels take float32 only.
      const x = input.dtype === 'float32' ? input : cast(input, 'float32');
      if (!this.projection || !this.scaleWeight) throw new Error(`FixedClassifier '${this.name}' is not built.`);
      let logits = mul(this.project(x), this.scaleWeight.read());
      if (this.biasWeight) logits = add(logits, this.biasWeight.read());
      return this.activation === 'softmax' ? softmax(logits) : logits;
    });
  }

  /** x̂ · P, by the fast transform when the projection has one, else by P's factors or P. */
  private project(x: Tensor2D): Tensor2D {
    const { fast } = this.projection!;
    if (!fast) {
      const framed: Tensor2D = matMul(l2Normalize(x, this.epsilon), this.projectionTensor!);
      return this.mixTensor ? matMul(framed, this.mixTensor) : framed;
    }
    const { order, outputs, scale } = fast;
    const z = normalizedHadamard(x, { order, outputs, scale, epsilon: this.epsilon });
    return this.mixTensor ? matMul(z, this.mixTensor) : z;
  }

  /**
   * α's variable (the weight named 'scale', a scalar): to read it, exclude it from weight decay, or
   * watch it train. Needs a built layer (a layer in a model is built).
   */
  get scaleVariable(): LayerVariable {
    if (!this.scaleWeight) throw new Error(`FixedClassifier '${this.name}': scaleVariable needs a built layer.`);
    return this.scaleWeight;
  }

  /** The current value of α. Needs a built layer. */
  getScale(): number {
    return this.scaleVariable.read().dataSync()[0]!;
  }

  /** The fixed matrix P, shape [inputDim, units] like a Dense kernel. The caller disposes it. */
  getProjection(): Tensor2D {
    if (!this.projection) throw new Error(`FixedClassifier '${this.name}': getProjection() needs a built layer.`);
    // The dense path holds P; a transform or factors are rebuilt into it (the same seed, the same P).
    if (this.projectionTensor && !this.mixTensor) return this.projectionTensor.clone();
    const { inputDim } = this.projection;
    return tensor2d(Float32Array.from(buildProjection(this.matrix, inputDim, this.units, this.seed).matrix), [inputDim, this.units]);
  }

  /** Which matrix the layer uses and whether a fast transform replaces the matrix product. */
  describeProjection(): ProjectionSummary {
    if (!this.projection) throw new Error(`FixedClassifier '${this.name}': describeProjection() needs a built layer.`);
    const { inputDim, fast, warning } = this.projection;
    return { matrix: this.matrix, inputDim, units: this.units, fastTransformOrder: fast?.order ?? null, warning };
  }

  override dispose(): DisposeResult {
    const result = super.dispose();
    if (result.refCountAfterDispose === 0) {
      this.projectionTensor?.dispose();
      this.mixTensor?.dispose();
      this.projectionTensor = null;
      this.mixTensor = null;
    }
    return result;
  }

  override getConfig(): serialization.ConfigDict {
    const config: serialization.ConfigDict = {
      units: this.units,
      matrix: this.matrix,
      trainableScale: this.trainableScale,
      useBias: this.useBias,
      seed: this.seed,
      epsilon: this.epsilon,
      activation: this.activation,
      biasInitializer: serializeObject(this.biasInitializer) as serialization.ConfigDictValue,
      scaleRegularizer: serializeObject(this.scaleRegularizer) as serialization.ConfigDictValue,
      biasRegularizer: serializeObject(this.biasRegularizer) as serialization.ConfigDictValue,
    };
    if (this.initialScale !== undefined) config.scale = this.initialScale;
    return { ...config, ...super.getConfig() };
  }
}
Object.defineProperty(FixedClassifier.prototype, BRAND, { value: BRAND_VERSION });
serialization.registerClass(FixedClassifier);

/** Creates a FixedClassifier layer, in the style of `tf.layers.dense`. */
export function fixedClassifier(args: FixedClassifierLayerArgs): FixedClassifier {
  return new FixedClassifier(args);
}

/** A bad option value as a message shows it: strings quoted, with the type where it is not a number. */
function singleShape(inputShape: Shape | Shape[]): Shape {
  if (Array.isArray(inputShape[0])) {
    if (inputShape.length !== 1) throw new Error(`FixedClassifier expects one input, got ${inputShape.length}.`);
    return inputShape[0] as Shape;
  }
  return inputShape as Shape;
}
