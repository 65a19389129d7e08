#!/usr/bin/env node
// Builds the oneDNN addon with node-gyp against the headers of the Node that runs this script.
// node-gyp run by hand downloads headers unless told where Node lives, so we always pass --nodedir.
// Without oneDNN on the machine we skip (exit 0) so that a workspace install or build never breaks;
// importing the package then says what to install. Each build leaves a record beside the addon (what it
// was built from and with: build-state.cjs), a failed one its cause, which the loader reports.
// --if-missing (the install script, so also `npm rebuild`): build unless the addon exists and its record
// matches the sources, this Node's ABI, FIXCLF_ONEDNN_PORTABLE and oneDNN's location.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const addonPath = path.join(packageDir, 'build', 'Release', 'fixclf_onednn.node');
const ifMissing = process.argv.includes('--if-missing');
const { sourcesHash, portableRequested, stampPath, failurePath, readRecord, onednnVersion, buildAction, findNodeGyp, NODE_GYP_SEARCH } =
  createRequire(import.meta.url)('./build-state.cjs');

/** A build record, written whole: under a temporary name, then renamed (a killed install leaves no torn record). */
function writeRecord(file, record) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n');
  renameSync(tmp, file);
}

/** Records why there is no addon, for the loader's message; exits (0 under --if-missing: an install never breaks). */
function fail(code, message, status = 1) {
  mkdirSync(path.dirname(addonPath), { recursive: true });
  writeRecord(failurePath(addonPath), { code, message, at: new Date().toISOString() });
  console.error(`@fixclf/backend-onednn: ${message}`);
  process.exit(ifMissing ? 0 : status);
}

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

const include = onednnIncludeDir();
if (include === undefined) {
  // Not an error: a workspace without oneDNN still builds; importing the package says what to install.
  console.warn(
    '@fixclf/backend-onednn: oneDNN not found, native addon not built ' +
      '(apt-get install libdnnl-dev, or oneDNN v2.7 built from source with DNNLROOT set; then pnpm --filter @fixclf/backend-onednn build).',
  );
  rmSync(failurePath(addonPath), { force: true }); // the loader's "not built: install oneDNN" is the cause now
  process.exit(0);
}
// The sources use oneDNN 2's API (operation descriptors), which oneDNN 3 removed.
const version = onednnVersion(include);
if (version !== null && version.major !== 2) {
  fail(
    'onednn-version',
    `oneDNN ${version.major}.${version.minor}.${version.patch} is installed (${include}), but this addon needs oneDNN 2.x ` +
      '(Debian/Ubuntu: apt-get install libdnnl-dev; elsewhere, Homebrew included, whose onednn is 3.x: build oneDNN v2.7 from source and set DNNLROOT to its prefix), then rebuild.',
  );
}
const nodedir = nodeDir();
const gyp = findNodeGyp(process.env, packageDir, process.execPath);
if (gyp === undefined) fail('build-failed', `node-gyp not found (looked at ${NODE_GYP_SEARCH}), then rebuild.`);

const current = {
  sources: sourcesHash(packageDir),
  nodeAbi: process.versions.modules,
  portable: portableRequested(process.env) ? 1 : 0,
  include,
};
const configured = existsSync(path.join(packageDir, 'build', 'Makefile')) || existsSync(path.join(packageDir, 'build', 'binding.sln'));
const action = buildAction(readRecord(stampPath(addonPath)), current, { addonExists: existsSync(addonPath), configured });
if (ifMissing && action === 'none') process.exit(0);

// `node-gyp build` is incremental (make); configure when there is nothing to build on or the flags changed.
const args = [action === 'configure' ? 'rebuild' : 'build', '--release', `--jobs=${process.env.JOBS ?? 'max'}`];
if (nodedir !== undefined) args.push(`--nodedir=${nodedir}`);
const [command, commandArgs] = gyp.node ? [process.execPath, [gyp.file, ...args]] : [gyp.file, args];
const result = spawnSync(command, commandArgs, {
  cwd: packageDir,
  stdio: 'inherit',
  env: { ...process.env, FIXCLF_ONEDNN_INCLUDE: include },
});
if (result.status !== 0) {
  rmSync(stampPath(addonPath), { force: true });
  fail('build-failed', 'building the native addon failed (see the compiler output above).', result.status ?? 1);
}
writeRecord(stampPath(addonPath), { ...current, packageDir, at: new Date().toISOString() });
rmSync(failurePath(addonPath), { force: true });
