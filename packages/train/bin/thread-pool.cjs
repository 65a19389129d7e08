'use strict';
// Preloaded by fixclf, and by `node --require @fixclf/train/thread-pool` in scripts of your own, before anything else loads.
// sharp decodes images on libuv's thread pool, which has 4 threads unless UV_THREADPOOL_SIZE says
// otherwise, read once when the pool starts: ImageNet decoding used at most 4 cores however many the
// decode workers had. The pool starts with the first asynchronous file access, and loading an ES module
// is one, so the variable is set from CommonJS, first. A value you set is kept.
const os = require('node:os');

process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, os.availableParallelism()));
