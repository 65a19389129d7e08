import type { BatchResult, BatchTask } from './batch-task';

/** Runs batch tasks: inline on the calling thread, or on a pool of worker threads. */
export interface BatchExecutor {
  run(task: BatchTask): Promise<BatchResult>;
  /** Frees threads and files; a later run() starts them again. */
  close(): Promise<void>;
  /** How many tasks it can usefully run at once. */
  readonly parallelism: number;
  /** Whether tasks run off the calling thread (so running ahead of the consumer overlaps with its work). */
  readonly background: boolean;
}
