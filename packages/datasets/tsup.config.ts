import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

// Three entries: the library, '@fixclf/datasets/internals' (its building blocks: tar reading, decoding,
// downloads, seeded random numbers, CIFAR writing), and the worker thread's script, which the library starts
// from beside itself (dist/worker.js or dist/worker.cjs). Shims give the ESM build the __filename the worker
// lookup uses. The CommonJS build is not split (tsup's experimental CommonJS splitting writes source maps
// without the sources), so each CommonJS entry point has its own copy of the modules it uses; DatasetError
// is recognised across copies by a brand.
export default defineConfig(
  packageBuild({ entry: { index: 'src/index.ts', internals: 'src/internals.ts', worker: 'src/workers/worker.ts' }, shims: true }),
);
