import { Worker } from 'node:worker_threads';
import { DatasetError, type DatasetErrorCode } from '../errors';
import type { ImageStore } from '../image-store';
import type { BatchResult, BatchTask, TaskError } from './batch-task';
import type { BatchExecutor } from './executor';
import { workerScript } from './worker-script';

interface Pending {
  readonly id: number;
  readonly task: BatchTask;
  readonly resolve: (result: BatchResult) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  current: Pending | undefined;
}

/**
 * A pool of worker threads that decode and augment batches. Workers start on first use, take one batch at
 * a time and are unref'd while idle, so an abandoned dataset never keeps the process alive; a crashed
 * worker fails its batch with a DatasetError and is replaced on the next task.
 */
export class WorkerPool implements BatchExecutor {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  readonly background = true;

  constructor(
    private readonly store: ImageStore,
    readonly parallelism: number,
  ) {}

  run(task: BatchTask): Promise<BatchResult> {
    return new Promise<BatchResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.current === undefined);
      if (slot === undefined && this.slots.length < this.parallelism) slot = this.spawn();
      if (slot === undefined) return;
      const pending = this.queue.shift()!;
      slot.current = pending;
      slot.worker.ref();
      slot.worker.postMessage({ id: pending.id, task: pending.task });
    }
  }

  private spawn(): Slot {
    const script = workerScript();
    const worker = new Worker(script.filename, { workerData: { store: this.store, entry: script.entry } });
    const slot: Slot = { worker, current: undefined };
    worker.unref();
    worker.on('message', (message: { id: number; ok: true; result: BatchResult } | { id: number; ok: false; error: TaskError }) => {
      const pending = slot.current;
      if (pending === undefined || pending.id !== message.id) return;
      slot.current = undefined;
      worker.unref();
      if (message.ok) pending.resolve(message.result);
      else {
        const e = message.error;
        pending.reject(
          new DatasetError((e.code as DatasetErrorCode | undefined) ?? 'WORKER', e.message, e.file === undefined ? {} : { file: e.file }),
        );
      }
      this.dispatch();
    });
    const fail = (reason: string): void => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      const pending = slot.current;
      slot.current = undefined;
      pending?.reject(new DatasetError('WORKER', `a @fixclf/datasets worker thread failed: ${reason}`));
      this.dispatch();
    };
    worker.on('error', (error) => fail(error.stack ?? error.message));
    worker.on('exit', (code) => fail(`exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const pending of this.queue.splice(0))
      pending.reject(new DatasetError('WORKER', 'the dataset was closed while batches were pending'));
    for (const slot of slots) {
      slot.current?.reject(new DatasetError('WORKER', 'the dataset was closed while batches were pending'));
      slot.current = undefined;
      slot.worker.removeAllListeners('exit');
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }
}
