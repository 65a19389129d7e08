// DenseNet-BC for CIFAR (Huang et al. 2017) as @fixclf/models builds it: a 3×3 stem of 2k features,
// three dense blocks of BN-ReLU-Conv1×1(4k)-BN-ReLU-Conv3×3(k) layers whose outputs are concatenated,
// transitions BN-ReLU-Conv1×1(×0.5)-AvgPool2. Used by the benchmark's per-kernel profile.

/**
 * @param {typeof import('@tensorflow/tfjs')} tf
 * @param {number} depth 3·2n + 4 (e.g. 40, 100)
 * @param {{ growthRate?: number, seed?: number, numClasses?: number }} [options]
 */
export function densenetCifar(tf, depth, options = {}) {
  const k = options.growthRate ?? 12;
  const layersPerBlock = (depth - 4) / 6;
  if (!Number.isInteger(layersPerBlock) || layersPerBlock < 1) throw new RangeError(`densenetCifar: depth must be 6n + 4, got ${depth}`);
  let seed = options.seed ?? 1;
  const bnRelu = (x, name) =>
    tf.layers.reLU({ name: `${name}.relu` }).apply(tf.layers.batchNormalization({ name: `${name}.norm`, epsilon: 1e-5, momentum: 0.9 }).apply(x));
  const conv = (x, name, filters, kernelSize) =>
    tf.layers
      .conv2d({ name, filters, kernelSize, padding: 'same', useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: seed++ }) })
      .apply(x);
  const input = tf.input({ shape: [32, 32, 3], name: 'image' });
  let features = 2 * k;
  let x = conv(input, 'conv0', features, 3);
  for (let block = 0; block < 3; block++) {
    for (let i = 0; i < layersPerBlock; i++) {
      const name = `block${block + 1}.layer${i + 1}`;
      let out = conv(bnRelu(x, `${name}.1`), `${name}.conv1`, 4 * k, 1);
      out = conv(bnRelu(out, `${name}.2`), `${name}.conv2`, k, 3);
      x = tf.layers.concatenate({ name: `${name}.concat`, axis: -1 }).apply([x, out]);
      features += k;
    }
    if (block < 2) {
      features = Math.floor(features / 2);
      x = conv(bnRelu(x, `transition${block + 1}`), `transition${block + 1}.conv`, features, 1);
      x = tf.layers.averagePooling2d({ name: `transition${block + 1}.pool`, poolSize: 2, strides: 2 }).apply(x);
    }
  }
  x = tf.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(bnRelu(x, 'final'));
  const logits = tf.layers
    .dense({ name: 'fc', units: options.numClasses ?? 10, kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }) })
    .apply(x);
  return tf.model({ inputs: input, outputs: logits, name: `densenet${depth}` });
}
