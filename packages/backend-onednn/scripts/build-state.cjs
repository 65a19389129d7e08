// What a build of the native addon was made from and with, shared by the build script (which writes it
// beside the addon and decides whether to build, and how) and the loader (which tells a stale build from
// a current one). CommonJS with no dependencies: the install script runs it before anything is built.
'use strict';

const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, realpathSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');

/** sha256 of binding.gyp and native/*.cc|*.h in name order: what the addon is compiled from. */
function sourcesHash(packageDir) {
  const native = path.join(packageDir, 'native');
  const files = [
    'binding.gyp',
    ...readdirSync(native)
      .filter((f) => /\.(cc|h)$/.test(f))
      .sort()
      .map((f) => path.join('native', f)),
  ];
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(packageDir, file)));
  }
  return hash.digest('hex');
}

/** The record of the build beside an addon file: fixclf_onednn.node → fixclf_onednn.build.json. */
function stampPath(addonFile) {
  return addonFile.replace(/\.node$/, '') + '.build.json';
}

/** The record of a build that failed, with its cause: fixclf_onednn.node → fixclf_onednn.failure.json. */
function failurePath(addonFile) {
  return addonFile.replace(/\.node$/, '') + '.failure.json';
}

/** A JSON record, or null when it is absent or unreadable. */
function readRecord(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** The version of the oneDNN whose headers are in includeDir, e.g. { major: 2, minor: 6, patch: 3 }; null if unknown. */
function onednnVersion(includeDir) {
  for (const header of [path.join(includeDir, 'oneapi', 'dnnl', 'dnnl_version.h'), path.join(includeDir, 'dnnl_version.h')]) {
    if (!existsSync(header)) continue;
    const text = readFileSync(header, 'utf8');
    const part = (name) => Number(new RegExp(`#define\\s+DNNL_VERSION_${name}\\s+(\\d+)`).exec(text)?.[1]);
    const version = { major: part('MAJOR'), minor: part('MINOR'), patch: part('PATCH') };
    if (Number.isInteger(version.major)) return version;
  }
  return null;
}

/**
 * What an install or build has to do, from the addon's record (`stamp`, null when there is none) and
 * what a build would be made from now (`current`: sources, nodeAbi, portable, include):
 * 'none' when the addon exists and its record matches; 'configure' when there is no build directory or
 * the Node ABI, the portability or oneDNN's location changed (a plain `make` would keep the old flags);
 * 'build' when only the sources changed (make rebuilds what they touch).
 */
function buildAction(stamp, current, { addonExists, configured }) {
  const sameSetup = stamp !== null && ['nodeAbi', 'portable', 'include'].every((key) => stamp[key] === current[key]);
  if (!configured || !sameSetup) return 'configure';
  if (!addonExists || stamp.sources !== current.sources) return 'build';
  return 'none';
}

/**
 * Whether FIXCLF_ONEDNN_PORTABLE asks for a build without -march=native: any value but unset, empty, 0,
 * false, no or off (case aside). One rule for the build script and binding.gyp, so `=0` never means on.
 */
function portableRequested(env) {
  const value = (env.FIXCLF_ONEDNN_PORTABLE ?? '').trim().toLowerCase();
  return !['', '0', 'false', 'no', 'off'].includes(value);
}

/**
 * Where the build script finds node-gyp, in order: npm_config_node_gyp (npm and pnpm set it for install
 * scripts), the package's own dependencies, the copy npm bundles (beside the npm running the script, or
 * beside this Node), then `node-gyp` on PATH (where `npm i -g node-gyp` puts it: Node's resolver never
 * looks in the global prefix). Returns { file, node: whether to run it with Node, from }, or undefined.
 * `resolve` resolves a module from the package (a test passes its own: Jest replaces Node's resolver).
 */
function findNodeGyp(env, packageDir, execPath, resolve = createRequire(path.join(packageDir, 'package.json')).resolve) {
  const script = path.join('node-gyp', 'bin', 'node-gyp.js');
  const scripts = [];
  if (env.npm_config_node_gyp) scripts.push([env.npm_config_node_gyp, 'npm_config_node_gyp']);
  try {
    scripts.push([resolve('node-gyp/bin/node-gyp.js'), "the package's dependencies"]);
  } catch {
    // not a dependency here
  }
  if (env.npm_execpath) scripts.push([path.join(path.dirname(env.npm_execpath), '..', 'node_modules', script), "npm's bundled copy"]);
  scripts.push([path.join(path.dirname(execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', script), "npm's bundled copy"]);
  for (const [file, from] of scripts) if (existsSync(file)) return { file, node: true, from };
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, process.platform === 'win32' ? 'node-gyp.cmd' : 'node-gyp');
    if (!existsSync(file)) continue;
    const real = realpathSync(file);
    // npm's global bin links to node-gyp.js, run with this Node; anything else is run as it is.
    return real.endsWith('.js') ? { file: real, node: true, from: 'PATH' } : { file, node: false, from: 'PATH' };
  }
  return undefined;
}

/** What findNodeGyp tried, for the build's failure message. */
const NODE_GYP_SEARCH =
  "npm_config_node_gyp, the package's dependencies, npm's bundled copy and node-gyp on PATH; " +
  'install it onto PATH (npm i -g node-gyp) or into the project (npm i -D node-gyp)';

module.exports = {
  sourcesHash,
  portableRequested,
  stampPath,
  failurePath,
  readRecord,
  onednnVersion,
  buildAction,
  findNodeGyp,
  NODE_GYP_SEARCH,
};
