import { AddN, type TensorInfo } from '@tensorflow/tfjs-core';

import { native } from '../native';
import { nativeKernel, nativeOutput } from './util';

export const addNConfig = nativeKernel(AddN, (inputs, backend) => {
  const tensors = inputs as unknown as TensorInfo[];
  if (tensors.length === 0 || tensors.some((t) => t.dtype !== 'float32')) return null;
  const arrays = tensors.map((t) => backend.float32(t));
  return nativeOutput(backend, [...tensors[0]!.shape], (out) => native.addN(arrays, out));
});
