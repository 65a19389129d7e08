// The kernels the onednn backend runs natively; every other kernel is inherited from the cpu backend.
// Besides TF.js's own, @fixclf/layers' head kernels and training-mode batch-norm kernels (Fixclf*, names mirrored in
// kernels/head-names.ts and kernels/layers-names.ts).
import type { KernelConfig } from '@tensorflow/tfjs-core';

import { absConfig } from './kernels/Abs';
import { addConfig } from './kernels/Add';
import { addNConfig } from './kernels/AddN';
import { avgPoolConfig } from './kernels/AvgPool';
import { avgPoolGradConfig } from './kernels/AvgPoolGrad';
import { batchMatMulConfig } from './kernels/BatchMatMul';
import { concatConfig } from './kernels/Concat';
import { conv2DConfig } from './kernels/Conv2D';
import { conv2DBackpropFilterConfig } from './kernels/Conv2DBackpropFilter';
import { conv2DBackpropInputConfig } from './kernels/Conv2DBackpropInput';
import { depthwiseConv2dNativeConfig } from './kernels/DepthwiseConv2dNative';
import { depthwiseConv2dNativeBackpropFilterConfig } from './kernels/DepthwiseConv2dNativeBackpropFilter';
import { depthwiseConv2dNativeBackpropInputConfig } from './kernels/DepthwiseConv2dNativeBackpropInput';
import { eluConfig } from './kernels/Elu';
import { expConfig } from './kernels/Exp';
import { fixclfBatchNormTrainingConfig } from './kernels/FixclfBatchNormTraining';
import { fixclfBatchNormTrainingGradConfig } from './kernels/FixclfBatchNormTrainingGrad';
import { fixclfHadamardTransformConfig } from './kernels/FixclfHadamardTransform';
import { fixclfNormalizedHadamardConfig } from './kernels/FixclfNormalizedHadamard';
import { fixclfNormalizedHadamardGradConfig } from './kernels/FixclfNormalizedHadamardGrad';
import { fixclfTrunkTrainingConfig } from './kernels/FixclfTrunkTraining';
import { fixclfTrunkTrainingGradConfig } from './kernels/FixclfTrunkTrainingGrad';
import { fusedBatchNormConfig } from './kernels/FusedBatchNorm';
import { fusedConv2DConfig } from './kernels/FusedConv2D';
import { fusedDepthwiseConv2DConfig } from './kernels/FusedDepthwiseConv2D';
import { leakyReluConfig } from './kernels/LeakyRelu';
import { logConfig } from './kernels/Log';
import { maxConfig } from './kernels/Max';
import { maxPoolConfig } from './kernels/MaxPool';
import { maxPoolGradConfig } from './kernels/MaxPoolGrad';
import { maximumConfig } from './kernels/Maximum';
import { meanConfig } from './kernels/Mean';
import { minConfig } from './kernels/Min';
import { minimumConfig } from './kernels/Minimum';
import { multiplyConfig } from './kernels/Multiply';
import { negConfig } from './kernels/Neg';
import { oneDnnBatchNormGradConfig } from './kernels/OneDnnBatchNormGrad';
import { oneDnnBroadcastScaleConfig } from './kernels/OneDnnBroadcastScale';
import { oneDnnReluGradConfig } from './kernels/OneDnnReluGrad';
import { oneDnnSquareGradConfig } from './kernels/OneDnnSquareGrad';
import { padV2Config } from './kernels/PadV2';
import { realDivConfig } from './kernels/RealDiv';
import { reciprocalConfig } from './kernels/Reciprocal';
import { reluConfig } from './kernels/Relu';
import { relu6Config } from './kernels/Relu6';
import { rsqrtConfig } from './kernels/Rsqrt';
import { sigmoidConfig } from './kernels/Sigmoid';
import { sliceConfig } from './kernels/Slice';
import { splitVConfig } from './kernels/SplitV';
import { sqrtConfig } from './kernels/Sqrt';
import { squareConfig } from './kernels/Square';
import { squaredDifferenceConfig } from './kernels/SquaredDifference';
import { stepConfig } from './kernels/Step';
import { subConfig } from './kernels/Sub';
import { sumConfig } from './kernels/Sum';
import { tanhConfig } from './kernels/Tanh';
import { transposeConfig } from './kernels/Transpose';
import { zerosLikeConfig } from './kernels/ZerosLike';
import { fusedMatMulConfig } from './kernels/_FusedMatMul';

export const nativeKernelConfigs: readonly KernelConfig[] = [
  absConfig,
  addConfig,
  addNConfig,
  avgPoolConfig,
  avgPoolGradConfig,
  batchMatMulConfig,
  concatConfig,
  conv2DConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  eluConfig,
  expConfig,
  fixclfBatchNormTrainingConfig,
  fixclfBatchNormTrainingGradConfig,
  fixclfTrunkTrainingConfig,
  fixclfTrunkTrainingGradConfig,
  fixclfHadamardTransformConfig,
  fixclfNormalizedHadamardConfig,
  fixclfNormalizedHadamardGradConfig,
  fusedBatchNormConfig,
  fusedConv2DConfig,
  fusedDepthwiseConv2DConfig,
  leakyReluConfig,
  logConfig,
  maxConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  maximumConfig,
  meanConfig,
  minConfig,
  minimumConfig,
  multiplyConfig,
  negConfig,
  oneDnnBatchNormGradConfig,
  oneDnnBroadcastScaleConfig,
  oneDnnReluGradConfig,
  oneDnnSquareGradConfig,
  padV2Config,
  realDivConfig,
  reciprocalConfig,
  reluConfig,
  relu6Config,
  rsqrtConfig,
  sigmoidConfig,
  sliceConfig,
  splitVConfig,
  sqrtConfig,
  squareConfig,
  squaredDifferenceConfig,
  stepConfig,
  subConfig,
  sumConfig,
  tanhConfig,
  transposeConfig,
  zerosLikeConfig,
  fusedMatMulConfig,
];
