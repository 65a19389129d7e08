// restoreMocks: spies on the native addon (which prove a kernel ran natively) never outlive their test.
module.exports = require('../../jest.preset.cjs')(__dirname, { restoreMocks: true });
