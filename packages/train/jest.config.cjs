// Training tests run real epochs: generous per-test time on the pure-JS cpu backend, where
// they fall back when @fixclf/backend-onednn is not built.
module.exports = require('../../jest.preset.cjs')(__dirname, { testTimeout: 600_000 });
