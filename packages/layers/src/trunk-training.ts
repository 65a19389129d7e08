// A convolutional trunk trained as one op. A ResNet-56 step through tf.layers is ~1,100 kernel calls,
// each paying TF.js's per-call bookkeeping (Tensor objects, scopes, a tape node, clones of what the
// gradient saves) and tf.layers' per-layer bookkeeping; on a 2-core CPU that JavaScript is ~10 % of a
// step that oneDNN otherwise runs as fast as PyTorch. Handed to a backend as one kernel with a plan, the
// same kernels run back to back without the engine in between, and the tape holds one node.
import { type GradSaveFunc, type NamedAttrMap, type NamedTensorMap, type Tensor, customGrad, engine, tidy } from '@tensorflow/tfjs-core';
import type { LayersModel, LayerVariable, SymbolicTensor, layers } from '@tensorflow/tfjs-layers';
import { activeBackendHas } from './ops/cpu-kernels';
import { TRUNK_TRAINING, TRUNK_TRAINING_GRAD, type TrunkPlan, type TrunkStep, type TrunkTrainingAttrs } from './ops/kernel-names';
import type { Kwargs } from './tfjs-types';

/** A model's trunk as a plan, with the variables its kernel reads and the layers that run after it. */
interface CompiledTrunk {
  attrs: TrunkTrainingAttrs;
  /** The plan's weights, by index. */
  weights: LayerVariable[];
  /** Each batch norm's moving averages and the variables they are written back to, in plan order. */
  movingAverages: { mean: LayerVariable; variance: LayerVariable }[];
  /** The symbolic tensor the trunk computes (the input of `rest`, or the model's output). */
  outputId: number;
  /** The layers after the trunk, in tf.layers' execution order, with the ids of the tensors they read and make. */
  rest: { layer: layers.Layer; inputIds: number[]; outputIds: number[] }[];
}

type Layer = layers.Layer;

function symbolicInputs(layer: Layer): SymbolicTensor[] {
  const input = layer.input;
  return Array.isArray(input) ? input : [input];
}

function weightNamed(layer: Layer, suffix: string): LayerVariable | undefined {
  return layer.weights.find((w) => w.originalName === suffix || w.originalName.endsWith(`/${suffix}`));
}

function pair(value: unknown): [number, number] | null {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number'))
    return [value[0] as number, value[1] as number];
  return null;
}

/**
 * The step a layer computes in training, with the weights it reads appended to `weights`; null when the
 * trunk cannot take the layer (another class, or options outside what the plan expresses).
 */
function stepOf(
  layer: Layer,
  inputs: number[],
  weights: LayerVariable[],
  movingAverages: CompiledTrunk['movingAverages'],
): TrunkStep | null {
  const config = layer.getConfig() as Record<string, unknown>;
  const channelsLast = config['dataFormat'] === undefined || config['dataFormat'] === 'channelsLast';
  const single = inputs.length === 1 ? inputs[0]! : null;
  switch (layer.getClassName()) {
    case 'Conv2D': {
      const strides = pair(config['strides']);
      const dilations = pair(config['dilationRate']);
      const kernel = weightNamed(layer, 'kernel');
      const padding = config['padding'];
      if (single === null || !channelsLast || config['useBias'] || (config['activation'] ?? 'linear') !== 'linear') return null;
      if (strides === null || dilations?.[0] !== 1 || dilations[1] !== 1 || kernel === undefined) return null;
      if (padding !== 'same' && padding !== 'valid') return null;
      weights.push(kernel);
      return { op: 'conv2d', input: single, filter: weights.length - 1, strides, pad: padding };
    }
    case 'BatchNormalization': {
      const axis = config['axis'];
      const [gamma, beta] = [weightNamed(layer, 'gamma'), weightNamed(layer, 'beta')];
      const [mean, variance] = [weightNamed(layer, 'moving_mean'), weightNamed(layer, 'moving_variance')];
      if (single === null || (axis !== -1 && axis !== 3) || !config['center'] || !config['scale']) return null;
      if (gamma === undefined || beta === undefined || mean === undefined || variance === undefined) return null;
      weights.push(gamma, beta);
      movingAverages.push({ mean, variance });
      const [epsilon, momentum] = [config['epsilon'] as number, config['momentum'] as number];
      return { op: 'batchNorm', input: single, scale: weights.length - 2, offset: weights.length - 1, epsilon, momentum };
    }
    case 'ReLU':
      return single !== null && config['maxValue'] == null ? { op: 'relu', input: single } : null;
    case 'Activation':
      return single !== null && config['activation'] === 'relu' ? { op: 'relu', input: single } : null;
    case 'Add': {
      // Same shapes only: the gradient passes through to every input unreduced.
      const shapes = symbolicInputs(layer).map((t) => JSON.stringify(t.shape));
      return inputs.length >= 2 && shapes.every((shape) => shape === shapes[0]) ? { op: 'add', inputs } : null;
    }
    case 'ZeroPadding2D': {
      const padding = config['padding'] as [number, number][] | undefined;
      if (single === null || !channelsLast || !Array.isArray(padding) || padding.length !== 2) return null;
      return { op: 'pad', input: single, paddings: [[0, 0], padding[0]!, padding[1]!, [0, 0]] };
    }
    case 'MaxPooling2D': {
      const [filterSize, strides, padding] = [pair(config['poolSize']), pair(config['strides']), config['padding']];
      if (single === null || !channelsLast || filterSize === null || strides === null) return null;
      if (padding !== 'same' && padding !== 'valid') return null;
      return { op: 'maxPool', input: single, filterSize, strides, pad: padding };
    }
    case 'GlobalAveragePooling2D':
      return single !== null && channelsLast ? { op: 'mean', input: single, axes: [1, 2] } : null;
    default:
      return null;
  }
}

/**
 * The longest run of layers from the model's input that the trunk kernel can take, or null when there is
 * none worth taking or what follows it reads more than one of its tensors.
 */
function compileTrunk(model: LayersModel): CompiledTrunk | null {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return null;
  const valueOf = new Map<number, number>([[model.inputs[0]!.id, 0]]);
  const steps: TrunkStep[] = [];
  const weights: LayerVariable[] = [];
  const movingAverages: CompiledTrunk['movingAverages'] = [];
  let index = 0;
  try {
    for (; index < model.layers.length; index++) {
      const layer = model.layers[index]!;
      if (layer.getClassName() === 'InputLayer') continue;
      if (layer.inboundNodes.length !== 1) break; // a shared layer: its tensors are ambiguous
      const inputs = symbolicInputs(layer).map((t) => valueOf.get(t.id));
      if (inputs.some((v) => v === undefined)) break;
      const step = stepOf(layer, inputs as number[], weights, movingAverages);
      if (step === null) break;
      steps.push(step);
      valueOf.set((layer.output as SymbolicTensor).id, steps.length);
    }
  } catch {
    return null; // a layer without a single input/output tensor
  }
  // What the rest reads of the trunk must be one tensor: the trunk's output. (Read now: a layer applied
  // again later has more than one input.)
  const restOutputs = new Set<number>();
  const read = new Set<number>();
  const rest: CompiledTrunk['rest'] = [];
  try {
    for (const layer of model.layers.slice(index)) {
      if (layer.inboundNodes.length !== 1) return null;
      const inputIds = symbolicInputs(layer).map((t) => t.id);
      const outputIds = [layer.output].flat().map((t) => t.id);
      for (const id of inputIds) if (!restOutputs.has(id)) read.add(id);
      for (const id of outputIds) restOutputs.add(id);
      rest.push({ layer, inputIds, outputIds });
    }
  } catch {
    return null;
  }
  const modelOutput = model.outputs[0]!.id;
  if (!restOutputs.has(modelOutput)) read.add(modelOutput);
  if (read.size !== 1) return null;
  const outputId = [...read][0]!;
  const output = valueOf.get(outputId);
  // The rest reads the trunk's last value (a trunk whose later layers nobody reads is not one op), and
  // the trunk has a convolution (else there is little to gain).
  if (output !== steps.length || !steps.some((step) => step.op === 'conv2d')) return null;
  const plan: TrunkPlan = { steps, output };
  return { attrs: { plan }, weights, movingAverages, outputId, rest };
}

/** The trunk's forward pass as one custom-gradient op over x and every weight of the plan. */
function trunkTraining(x: Tensor, trunk: CompiledTrunk): Tensor {
  const attrs = trunk.attrs as unknown as NamedAttrMap;
  const op = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const save = args.pop() as GradSaveFunc;
    const [input, ...weights] = args as Tensor[];
    const inputs: NamedTensorMap = { x: input! };
    weights.forEach((w, i) => (inputs[`w${i}`] = w));
    trunk.movingAverages.forEach((m, k) => {
      inputs[`movingMean${k}`] = m.mean.read();
      inputs[`movingVariance${k}`] = m.variance.read();
    });
    const outputs = engine().runKernel(TRUNK_TRAINING, inputs, attrs) as Tensor[];
    trunk.movingAverages.forEach((m, k) => {
      m.mean.write(outputs[2 + 2 * k]!);
      m.variance.write(outputs[3 + 2 * k]!);
    });
    save([outputs[1]!]);
    return {
      value: outputs[0]!,
      gradFunc: (dy: Tensor, saved: Tensor[]) => engine().runKernel(TRUNK_TRAINING_GRAD, { dy, state: saved[0]! }, attrs) as Tensor[],
    };
  });
  return op(x, ...trunk.weights.map((w) => w.read()));
}

const fusedModels = new WeakSet<object>();

/**
 * Makes a model's convolutional trunk train as one op where the backend has the trunk kernels
 * ({@link TRUNK_TRAINING}, e.g. `@fixclf/backend-onednn`): the layers from the input through its
 * convolutions (no bias, no activation), batch norms, ReLUs, residual adds, zero padding, max pooling
 * and global average pooling — a ResNet's whole body — run as the same kernels, back to back, with one node on
 * the gradient tape; the layers after (the classifier) run as before. Outputs, gradients and moving
 * averages are those of tf.layers' own training call. Inference, other backends and inputs that are not
 * float32 NHWC go through tf.layers' own `call`; the model's class, configuration and saved form are
 * unchanged. Returns how many layers the trunk took (0: the model has no trunk it can take, or was
 * already fused).
 */
export function fuseTrunkTraining(model: LayersModel): number {
  if (fusedModels.has(model)) return 0;
  const trunk = compileTrunk(model);
  if (trunk === null) return 0;
  const original = model.call.bind(model);
  model.call = (inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] => {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const x = list[0];
    const training = Boolean(kwargs?.['training'] ?? false);
    if (!training || list.length !== 1 || x === undefined || x.dtype !== 'float32' || x.rank !== 4) return original(inputs, kwargs);
    if (!activeBackendHas(TRUNK_TRAINING, TRUNK_TRAINING_GRAD)) return original(inputs, kwargs);
    return tidy(() => {
      const values = new Map<number, Tensor>([[trunk.outputId, trunkTraining(x, trunk)]]);
      for (const { layer, inputIds, outputIds } of trunk.rest) {
        const layerInputs = inputIds.map((id) => values.get(id)!);
        const outputs = layer.call(layerInputs.length === 1 ? layerInputs[0]! : layerInputs, kwargs);
        [outputs].flat().forEach((t, i) => values.set(outputIds[i]!, t));
      }
      return [values.get(model.outputs[0]!.id)!];
    });
  };
  fusedModels.add(model);
  return trunk.attrs.plan.steps.length;
}
