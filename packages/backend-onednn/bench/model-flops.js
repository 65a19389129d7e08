// Arithmetic of the benchmark: training FLOPs of a tf.layers model and the convolution shapes of a CIFAR
// ResNet (for the oneDNN ceiling).

/**
 * Floating-point operations of one training step per image, from the model's Conv2D and Dense layers:
 * forward, input gradient (except for a layer fed by the image itself) and weight gradient, 2 FLOPs per
 * multiply-add.
 * @param {import('@tensorflow/tfjs').LayersModel} model
 */
export function trainingFlopsPerImage(model) {
  let forwardMacs = 0;
  let trainingFlops = 0;
  for (const layer of model.layers) {
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
    const fedByImage = layer.inboundNodes[0]?.inboundLayers.every((l) => l.getClassName() === 'InputLayer') ?? false;
    forwardMacs += macs;
    trainingFlops += 2 * macs * (fedByImage ? 2 : 3);
  }
  return { forwardMacs, trainingFlops };
}

/**
 * The distinct convolution shapes of a CIFAR ResNet of depth 6n + 2 and how often each occurs, as
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
