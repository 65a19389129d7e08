import type { ImageStore } from '../image-store';
import { BatchProcessor } from './batch-processor';
import type { BatchResult, BatchTask } from './batch-task';
import type { BatchExecutor } from './executor';

/**
 * Runs tasks on the calling thread. For raw-pixel datasets (CIFAR, synthetic) a batch of 128 takes about a
 * millisecond, far below a training step, so threads would only add start-up time and memory.
 */
export class InlineExecutor implements BatchExecutor {
  readonly parallelism = 1;
  readonly background = false;
  private processor: BatchProcessor | undefined;

  constructor(private readonly store: ImageStore) {}

  async run(task: BatchTask): Promise<BatchResult> {
    this.processor ??= new BatchProcessor(this.store);
    return this.processor.run(task);
  }

  async close(): Promise<void> {
    this.processor?.close();
    this.processor = undefined;
  }
}
