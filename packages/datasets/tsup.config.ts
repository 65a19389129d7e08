import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

// Two entries: the library, and the worker thread's script, which the library starts from beside itself
// (dist/worker.js or dist/worker.cjs). Shims give the ESM build the __filename the worker lookup uses.
export default defineConfig(packageBuild({ entry: { index: 'src/index.ts', worker: 'src/workers/worker.ts' }, shims: true }));
