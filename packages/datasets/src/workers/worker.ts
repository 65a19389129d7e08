// The worker thread: decodes and augments batches of one dataset's store, posting float arrays back.
import { parentPort, workerData } from 'node:worker_threads';
import { DatasetError } from '../errors';
import type { ImageStore } from '../image-store';
import { BatchProcessor } from './batch-processor';
import type { BatchTask, TaskError } from './batch-task';

const port = parentPort;
if (port === null) throw new Error('@fixclf/datasets worker: not started as a worker thread');
const processor = new BatchProcessor((workerData as { store: ImageStore }).store);

port.on('message', (message: { id: number; task: BatchTask }) => {
  processor.run(message.task).then(
    (result) => port.postMessage({ id: message.id, ok: true, result }, [result.x.buffer as ArrayBuffer]),
    (cause: unknown) => {
      const error: TaskError =
        cause instanceof DatasetError
          ? { message: cause.message, code: cause.code, ...(cause.file === undefined ? {} : { file: cause.file }) }
          : { message: cause instanceof Error ? (cause.stack ?? cause.message) : String(cause) };
      port.postMessage({ id: message.id, ok: false, error });
    },
  );
});
