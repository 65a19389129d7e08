// Runs src/workers/worker.ts inside a worker thread when the package is used from its TypeScript sources
// (tests). Compiles each .ts file with @swc/core on require; extensionless relative imports resolve
// because Node's CommonJS resolver tries every registered extension.
const fs = require('node:fs');
const { workerData } = require('node:worker_threads');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

require(workerData.entry);
