import * as tf from '@tensorflow/tfjs';
import { ChannelShuffle, ConstantPadding2D, GroupedConv2D } from '@fixclf/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Grouped convolution by definition, in plain loops: NHWC input, kernel [k, k, C/g, F], 'valid'. */
function groupedConvReference(
  x: Float32Array,
  [n, h, w, c]: [number, number, number, number],
  kernel: Float32Array,
  k: number,
  filters: number,
  groups: number,
  stride: number,
): { values: Float32Array; shape: number[] } {
  const oh = Math.floor((h - k) / stride) + 1;
  const ow = Math.floor((w - k) / stride) + 1;
  const cg = c / groups;
  const fg = filters / groups;
  const out = new Float32Array(n * oh * ow * filters);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let f = 0; f < filters; f++) {
          const g = Math.floor(f / fg);
          let sum = 0;
          for (let di = 0; di < k; di++)
            for (let dj = 0; dj < k; dj++)
              for (let ci = 0; ci < cg; ci++) {
                const xi = ((b * h + i * stride + di) * w + j * stride + dj) * c + g * cg + ci;
                const ki = ((di * k + dj) * cg + ci) * filters + f;
                sum += x[xi]! * kernel[ki]!;
              }
          out[((b * oh + i) * ow + j) * filters + f] = sum;
        }
  return { values: out, shape: [n, oh, ow, filters] };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-4) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThan(tolerance);
}

async function roundTrip(layer: tf.layers.Layer, inputShape: number[]): Promise<tf.LayersModel[]> {
  const input = tf.input({ shape: inputShape });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return [model, await tf.loadLayersModel(tf.io.fromMemory(artifacts!))];
}

describe('GroupedConv2D', () => {
  test.each([
    // [kernel, stride, groups, channels, filters]: 1×1 takes the batched-matMul path, k > 1 split-conv-concat
    [1, 1, 3, 6, 9],
    [1, 2, 3, 6, 12],
    [1, 1, 1, 4, 5],
    [3, 1, 2, 4, 6],
    [3, 2, 4, 8, 4],
  ])('k=%i stride=%i g=%i, %i→%i channels equals the loop definition', (k, stride, groups, c, filters) => {
    const shape: [number, number, number, number] = [2, 7, 6, c];
    const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
    const layer = new GroupedConv2D({
      filters,
      kernelSize: k,
      groups,
      strides: stride,
      padding: 'valid',
      useBias: true,
      biasInitializer: tf.initializers.randomNormal({ seed: 3 }),
    });
    const y = layer.apply(x) as tf.Tensor;
    const [kernel, bias] = layer.getWeights();
    expect(kernel!.shape).toEqual([k, k, c / groups, filters]);
    const ref = groupedConvReference(x.dataSync() as Float32Array, shape, kernel!.dataSync() as Float32Array, k, filters, groups, stride);
    const b = bias!.dataSync();
    const expected = ref.values.map((v, i) => v + b[i % filters]!);
    expect(y.shape).toEqual(ref.shape);
    expect(layer.computeOutputShape([null, 7, 6, c])).toEqual([null, ...ref.shape.slice(1)]);
    expectClose(y.dataSync(), expected);
    tf.dispose([x, y]);
  });

  test('1×1, "same" padding, stride 2 reads rows/columns 0, 2, 4 (odd sizes round up)', () => {
    const x = tf.randomNormal([1, 5, 5, 6], 0, 1, 'float32', 2);
    const layer = new GroupedConv2D({ filters: 3, kernelSize: 1, groups: 3, strides: 2, padding: 'same', useBias: false });
    const y = layer.apply(x) as tf.Tensor;
    const ref = groupedConvReference(
      x.dataSync() as Float32Array,
      [1, 5, 5, 6],
      layer.getWeights()[0]!.dataSync() as Float32Array,
      1,
      3,
      3,
      2,
    );
    expect(y.shape).toEqual([1, 3, 3, 3]);
    expectClose(y.dataSync(), ref.values);
    tf.dispose([x, y]);
  });

  test('gradients equal those of the dense convolution with a block-diagonal kernel', () => {
    const [c, filters, groups] = [6, 9, 3];
    const x = tf.randomNormal([2, 4, 4, c], 0, 1, 'float32', 4);
    const layer = new GroupedConv2D({ filters, kernelSize: 1, groups, useBias: false });
    layer.apply(x);
    const kernel = layer.getWeights()[0]!; // [1, 1, c/g, filters]
    const kv = kernel.dataSync();
    const dense = new Float32Array(c * filters);
    for (let ci = 0; ci < c / groups; ci++)
      for (let f = 0; f < filters; f++) {
        const g = Math.floor(f / (filters / groups));
        dense[(g * (c / groups) + ci) * filters + f] = kv[ci * filters + f]!;
      }
    const denseKernel = tf.tensor4d(dense, [1, 1, c, filters]);
    const upstream = tf.randomNormal([2, 4, 4, filters], 0, 1, 'float32', 5);
    const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, upstream));
    const xVar = tf.variable(x);
    const kernelVar = layer.trainableWeights[0]!.read() as tf.Variable;
    const { grads } = tf.variableGrads(() => loss(layer.apply(xVar) as tf.Tensor) as tf.Scalar, [xVar, kernelVar]);
    const [gxLayer, gkLayer] = [grads[xVar.name], grads[kernelVar.name]];
    // Reference through tfjs's own conv2d: its kernel gradient, read on the diagonal blocks only.
    const [gxDense, gkDense] = tf.grads((xi: tf.Tensor, ki: tf.Tensor) =>
      loss(tf.conv2d(xi as tf.Tensor4D, ki as tf.Tensor4D, 1, 'valid')),
    )([x, denseKernel]);
    expectClose(gxLayer!.dataSync(), gxDense!.dataSync());
    const gd = gkDense!.dataSync();
    const onBlocks = new Float32Array(kv.length);
    for (let ci = 0; ci < c / groups; ci++)
      for (let f = 0; f < filters; f++) {
        const g = Math.floor(f / (filters / groups));
        onBlocks[ci * filters + f] = gd[(g * (c / groups) + ci) * filters + f]!;
      }
    expectClose(gkLayer!.dataSync(), onBlocks);
  });

  test('clear errors for channels or filters that do not divide into groups', () => {
    expect(() => new GroupedConv2D({ filters: 10, kernelSize: 1, groups: 3 })).toThrow(/filters \(10\).*groups \(3\)/);
    const layer = new GroupedConv2D({ filters: 9, kernelSize: 1, groups: 3, name: 'g' });
    expect(() => layer.apply(tf.input({ shape: [4, 4, 4] }))).toThrow(/'g'.*input channels \(4\).*groups \(3\)/);
    expect(() => new GroupedConv2D({ filters: 9, kernelSize: 0, groups: 3 })).toThrow(/kernelSize/);
  });

  test('save/load keeps config and weights', async () => {
    const layer = new GroupedConv2D({ filters: 6, kernelSize: 3, groups: 2, strides: 2, padding: 'same' });
    const [model, loaded] = await roundTrip(layer, [5, 5, 4]);
    const restored = loaded!.layers[1] as GroupedConv2D;
    expect(restored).toBeInstanceOf(GroupedConv2D);
    expect(restored.getConfig()).toEqual(layer.getConfig());
    const x = tf.randomNormal([1, 5, 5, 4]);
    expect(Array.from((loaded!.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model!.predict(x) as tf.Tensor).dataSync()));
  });

  test("takes initializers by name, as tfjs-layers' Conv2D does, and saves and loads them", async () => {
    const layer = new GroupedConv2D({ filters: 4, kernelSize: 1, groups: 2, kernelInitializer: 'glorotUniform', biasInitializer: 'ones' });
    const [model, loaded] = await roundTrip(layer, [3, 3, 4]);
    expect(Array.from(layer.getWeights()[1]!.dataSync())).toEqual([1, 1, 1, 1]);
    const saved = {
      biasInitializer: { className: 'Ones', config: {} },
      kernelInitializer: { className: 'VarianceScaling', config: { distribution: 'uniform', mode: 'fanAvg', scale: 1 } },
    };
    expect(layer.getConfig()).toMatchObject(saved);
    expect((loaded!.layers[1] as GroupedConv2D).getConfig()).toMatchObject(saved);
    const x = tf.randomNormal([1, 3, 3, 4]);
    expect(Array.from((loaded!.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model!.predict(x) as tf.Tensor).dataSync()));
    expect(() => new GroupedConv2D({ filters: 4, kernelSize: 1, groups: 2, biasInitializer: 'one' as 'ones' })).toThrow(
      /GroupedConv2D biasInitializer: unknown identifier 'one'/,
    );
  });
});

describe('ChannelShuffle', () => {
  test('moves channel g·(C/g) + j to j·g + g, as the reference view-transpose on NCHW', () => {
    const [groups, c] = [3, 12];
    const x = tf.randomNormal([2, 3, 2, c], 0, 1, 'float32', 6);
    const y = new ChannelShuffle({ groups }).apply(x) as tf.Tensor;
    const xv = x.dataSync();
    const yv = y.dataSync();
    const perGroup = c / groups;
    for (let pixel = 0; pixel < 2 * 3 * 2; pixel++)
      for (let g = 0; g < groups; g++)
        for (let j = 0; j < perGroup; j++) expect(yv[pixel * c + j * groups + g]).toBe(xv[pixel * c + g * perGroup + j]);
  });

  test('needs channels divisible by groups; survives save/load', async () => {
    expect(() => new ChannelShuffle({ groups: 5, name: 's' }).apply(tf.input({ shape: [2, 2, 12] }))).toThrow(/'s'.*5 groups/);
    const [model, loaded] = await roundTrip(new ChannelShuffle({ groups: 4 }), [2, 2, 8]);
    const x = tf.randomNormal([1, 2, 2, 8]);
    expect(Array.from((loaded!.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model!.predict(x) as tf.Tensor).dataSync()));
  });
});

describe('ConstantPadding2D before max pooling = PyTorch MaxPool2d(3, 2, padding=1)', () => {
  test('negative inputs: padded cells never win', () => {
    const [h, w] = [6, 5];
    const x = tf.randomNormal([1, h, w, 2], -3, 1, 'float32', 8); // mostly negative
    const padded = new ConstantPadding2D({ padding: 1, value: -3.4028234663852886e38 }).apply(x) as tf.Tensor4D;
    const y = tf.maxPool(padded, 3, 2, 'valid');
    // PyTorch: out = floor((H + 2 − 3)/2) + 1, window over real cells only.
    const oh = Math.floor((h - 1) / 2) + 1;
    const ow = Math.floor((w - 1) / 2) + 1;
    const xv = x.dataSync();
    const expected: number[] = [];
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < 2; ch++) {
          let best = -Infinity;
          for (let di = -1; di <= 1; di++)
            for (let dj = -1; dj <= 1; dj++) {
              const r = 2 * i + di;
              const c = 2 * j + dj;
              if (r >= 0 && r < h && c >= 0 && c < w) best = Math.max(best, xv[(r * w + c) * 2 + ch]!);
            }
          expected.push(best);
        }
    expect(y.shape).toEqual([1, oh, ow, 2]);
    expect(Array.from(y.dataSync())).toEqual(expected.map((v) => Math.fround(v)));
  });

  test('rejects a non-finite value (JSON cannot hold it)', () => {
    expect(() => new ConstantPadding2D({ padding: 1, value: -Infinity })).toThrow(/finite/);
  });
});
