#!/usr/bin/env node
'use strict';
require('./thread-pool.cjs'); // before the CLI's modules load: see there

import('../dist/cli/main.js').then(async ({ main }) => {
  process.exitCode = await main();
});
