// CIFAR ResNets (He et al. 2016, §4.2) built as plain tf.layers models the way @fixclf/models builds
// them (PyTorch geometry: stride-2 3×3 convolutions get an explicit ZeroPadding2D and run 'valid';
// 1×1-convolution + batch-norm projection shortcuts; BN ε = 1e-5, momentum 0.9). Shared by the
// benchmark and the tests, so that both train the network the product trains.

/**
 * @param {typeof import('@tensorflow/tfjs')} tf
 * @param {number} depth 6n + 2: 20, 32, 44, 56, 110
 * @param {{ seed?: number, numClasses?: number, inputSize?: number }} [options] inputSize: 32 for CIFAR
 */
export function resnetCifar(tf, depth, options = {}) {
  if ((depth - 2) % 6 !== 0 || depth < 8) throw new RangeError(`resnetCifar: depth must be 6n + 2, got ${depth}`);
  const n = (depth - 2) / 6;
  let seed = options.seed ?? 1;
  const init = () => tf.initializers.heNormal({ seed: seed++ });
  const bn = (x, name) => tf.layers.batchNormalization({ name, axis: -1, momentum: 0.9, epsilon: 1e-5 }).apply(x);
  const relu = (x, name) => tf.layers.reLU({ name }).apply(x);
  const conv = (x, name, filters, kernelSize, strides) => {
    let input = x;
    let padding = 'same';
    if (kernelSize === 1) padding = 'valid';
    else if (strides !== 1) {
      input = tf.layers.zeroPadding2d({ name: `${name}.pad`, padding: (kernelSize - 1) / 2 }).apply(x);
      padding = 'valid';
    }
    return tf.layers
      .conv2d({ name, filters, kernelSize, strides, padding, useBias: false, kernelInitializer: init() })
      .apply(input);
  };

  const size = options.inputSize ?? 32;
  const input = tf.input({ shape: [size, size, 3], name: 'image' });
  let x = relu(bn(conv(input, 'conv1', 16, 3, 1), 'bn1'), 'relu');
  let inPlanes = 16;
  [16, 32, 64].forEach((planes, stage) => {
    for (let block = 0; block < n; block++) {
      const name = `layer${stage + 1}.${block}`;
      const stride = stage > 0 && block === 0 ? 2 : 1;
      let out = relu(bn(conv(x, `${name}.conv1`, planes, 3, stride), `${name}.bn1`), `${name}.relu1`);
      out = bn(conv(out, `${name}.conv2`, planes, 3, 1), `${name}.bn2`);
      let shortcut = x;
      if (stride !== 1 || inPlanes !== planes) {
        shortcut = bn(conv(x, `${name}.downsample.0`, planes, 1, stride), `${name}.downsample.1`);
      }
      x = relu(tf.layers.add({ name: `${name}.add` }).apply([out, shortcut]), `${name}.relu2`);
      inPlanes = planes;
    }
  });
  x = tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(x);
  const logits = tf.layers
    .dense({ name: 'fc', units: options.numClasses ?? 10, kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }) })
    .apply(x);
  return tf.model({ inputs: input, outputs: logits, name: `resnet${depth}` });
}

/**
 * Multiply-adds of one forward pass per image, from the model's Conv2D and Dense layers, and the
 * floating-point operations of one training step per image: forward, input gradient (except for the
 * first layer, whose input is the image) and weight gradient, 2 FLOPs per multiply-add.
 * @param {import('@tensorflow/tfjs').LayersModel} model
 */
export function trainingFlopsPerImage(model) {
  let forwardMacs = 0;
  let trainingFlops = 0;
  model.layers.forEach((layer, index) => {
    const className = layer.getClassName();
    let macs = 0;
    if (className === 'Conv2D') {
      const [, h, w, c] = layer.outputShape;
      const [kh, kw, cin] = layer.kernel.shape;
      macs = h * w * c * kh * kw * cin;
    } else if (className === 'Dense') {
      const [cin, cout] = layer.kernel.shape;
      macs = cin * cout;
    }
    const first = layer.inboundNodes[0]?.inboundLayers.every((l) => l.getClassName() === 'InputLayer') ?? index === 1;
    forwardMacs += macs;
    trainingFlops += 2 * macs * (first ? 2 : 3);
  });
  return { forwardMacs, trainingFlops };
}

/**
 * The distinct convolution shapes of a CIFAR ResNet and how often each occurs, as
 * [height, width, inChannels, outChannels, kernel, stride, count] for convolutionCeiling().
 * @param {number} depth
 */
export function resnetCifarConvLayers(depth) {
  const n = (depth - 2) / 6;
  return [
    [32, 32, 3, 16, 3, 1, 1],
    [32, 32, 16, 16, 3, 1, 2 * n],
    [32, 32, 16, 32, 3, 2, 1],
    [16, 16, 32, 32, 3, 1, 2 * n - 1],
    [32, 32, 16, 32, 1, 2, 1],
    [16, 16, 32, 64, 3, 2, 1],
    [8, 8, 64, 64, 3, 1, 2 * n - 1],
    [16, 16, 32, 64, 1, 2, 1],
  ];
}
