// Worker-thread and real-data tests share two cores with other jobs: allow 30 s per test, not Jest's 5.
module.exports = require('../../jest.preset.cjs')(__dirname, { testTimeout: 30_000 });
