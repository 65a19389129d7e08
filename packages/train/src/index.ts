export {
  train,
  evaluate,
  classifierScale,
  DivergenceError,
  type ClassAccuracy,
  type EvaluateResult,
  type TrainerOptions,
  type TrainResult,
} from './trainer';
export { StoppedBeforeTraining, trainRun, type TrainRunOptions, type TrainRunResult } from './run';
export { evaluateRun, type EvalResult } from './evaluate-run';
export { type CompareOptions, compareRuns, type Comparison } from './compare';
export { SGD, type SgdOptions } from './optim/sgd';
export {
  regime,
  stepSchedule,
  cosineSchedule,
  oneCycleSchedule,
  REGIME_NAMES,
  type Regime,
  type RegimeName,
  type RegimeOverrides,
  type Schedule,
  type Progress,
} from './optim/schedules';
export {
  saveCheckpoint,
  loadCheckpoint,
  hasCheckpoint,
  findCheckpoint,
  recoverCheckpoint,
  loadCheckpointModel,
  type Checkpoint,
  type FoundCheckpoint,
} from './checkpoint';
export { fileSystemHandler } from './io/file-handler';
export { selectBackend, BACKEND_CHOICES, type BackendChoice, type SelectedBackend } from './select-backend';
export { readRun, prepareRunDir, lockRunDir, LOCK_FILE, type RunConfig } from './run-dir';
export type { RunEnvironment } from './environment';
export { LockedError, type HeldLock, type LockOwner } from './io/lock';
export { readMetrics, MetricsLog, type EpochRecord } from './logging/metrics-log';
export { defaultProgress, BarProgress, LineProgress, formatRecord, type ProgressReporter } from './logging/progress';
export { pairedComparison, type PairedResult, pairedTable } from './report/paired';
export { comparisonTable, type RunHistory, type RunSummary, runsTable } from './report/table';
export { errorPlotSvg, type PlotSeries } from './report/plot';
export { topKHits, EpochMeter, type MeterState } from './metrics';
export type { Precision } from './precision';
export type { TrainDataset, TrainBatch, Batch } from './dataset';
