export { createModel, type CreateModelOptions } from './create-model';
export { listModels, getModelDefinition, registerModel } from './registry';
export type { ModelDefinition, TargetDataset, Dataset, InputShape } from './model-definition';
export {
  classifierKinds,
  isClassifierKind,
  type ClassifierKind,
  type ClassifierSpec,
  type FixedClassifierConfig,
} from './classifier-head';
export { paramCounts, type ParamCounts } from './param-counts';
export { countFlops, type FlopCount } from './flops';
export { BuildContext } from './build-context';
export { GroupedConv2D, type GroupedConv2DArgs } from './layers/grouped-conv2d';
export { ChannelShuffle, type ChannelShuffleArgs } from './layers/channel-shuffle';
export { ConstantPadding2D, type ConstantPadding2DArgs } from './layers/constant-padding2d';
