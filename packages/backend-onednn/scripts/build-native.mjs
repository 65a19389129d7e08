#!/usr/bin/env node
// Builds the oneDNN addon with node-gyp against the headers of the Node that runs this script.
// node-gyp run by hand downloads headers unless told where Node lives, so we always pass --nodedir.
// Without oneDNN on the machine we skip (exit 0) so that a workspace install or build never breaks;
// importing the package then says what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const addonPath = path.join(packageDir, 'build', 'Release', 'fixclf_onednn.node');
const ifMissing = process.argv.includes('--if-missing');

if (ifMissing && existsSync(addonPath)) process.exit(0);

/** The Node install prefix: the directory holding include/node/node_api.h. */
function nodeDir() {
  const candidates = [process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..'), '/usr', '/usr/local'].filter(
    Boolean,
  );
  return candidates.find((dir) => existsSync(path.join(dir, 'include', 'node', 'node_api.h')));
}

/** Where dnnl.hpp lives, or undefined when oneDNN is not installed. */
function onednnIncludeDir() {
  const roots = [process.env.DNNLROOT, process.env.ONEDNN_ROOT, '/usr', '/usr/local', '/opt/homebrew', '/opt/local'];
  for (const root of roots.filter(Boolean)) {
    if (existsSync(path.join(root, 'include', 'dnnl.hpp'))) return path.join(root, 'include');
  }
  for (const dir of (process.env.CPATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (existsSync(path.join(dir, 'dnnl.hpp'))) return dir;
  }
  return undefined;
}

function nodeGypCommand() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) {
    return process.env.npm_config_node_gyp;
  }
  try {
    return createRequire(path.join(packageDir, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return undefined;
  }
}

const include = onednnIncludeDir();
if (include === undefined) {
  console.warn(
    '@fixclf/backend-onednn: oneDNN not found, native addon not built ' +
      '(apt-get install libdnnl-dev or brew install onednn, then pnpm --filter @fixclf/backend-onednn build).',
  );
  process.exit(0);
}
const nodedir = nodeDir();
const gyp = nodeGypCommand();
if (gyp === undefined) {
  console.error('@fixclf/backend-onednn: node-gyp not found; install it (npm i -g node-gyp) and rebuild.');
  process.exit(ifMissing ? 0 : 1);
}

// `node-gyp build` is incremental (make); configure only when there is nothing to build on.
const configured = existsSync(path.join(packageDir, 'build', 'Makefile')) || existsSync(path.join(packageDir, 'build', 'binding.sln'));
const args = [gyp, configured ? 'build' : 'rebuild', '--release', `--jobs=${process.env.JOBS ?? 'max'}`];
if (nodedir !== undefined) args.push(`--nodedir=${nodedir}`);
const result = spawnSync(process.execPath, args, {
  cwd: packageDir,
  stdio: 'inherit',
  env: { ...process.env, FIXCLF_ONEDNN_INCLUDE: include },
});
if (result.status !== 0) {
  console.error('@fixclf/backend-onednn: building the native addon failed (see the compiler output above).');
  process.exit(ifMissing ? 0 : (result.status ?? 1));
}
