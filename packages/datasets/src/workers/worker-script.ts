import path from 'node:path';

/**
 * Where the worker's code is. Built: dist/worker.js (ESM) or dist/worker.cjs beside the bundle that runs.
 * From TypeScript sources (the workspace's tests map @fixclf/datasets to src/): a CommonJS bootstrap that
 * compiles the worker's .ts files with @swc/core, the compiler the workspace's tests already use.
 */
export function workerScript(): { filename: string; entry?: string } {
  if (__filename.endsWith('.ts')) {
    return { filename: path.join(__dirname, 'ts-worker.cjs'), entry: path.join(__dirname, 'worker.ts') };
  }
  return { filename: path.join(__dirname, __filename.endsWith('.cjs') ? 'worker.cjs' : 'worker.js') };
}
