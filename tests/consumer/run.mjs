#!/usr/bin/env node
// The consumer fixture: what a user outside the monorepo gets. Packs every published package with
// `pnpm pack`, checks what each tarball holds, installs the tarballs and @tensorflow/tfjs 4.22.0 with
// npm into a fresh project, then type-checks the probes in fixture/ (the libraries a user imports:
// hadamard, layers, models, datasets) with --strict (no skipLibCheck) under nodenext ESM, nodenext
// CommonJS and bundler resolution, runs them through the ESM and CJS entry points, checks that every
// value the six packages' declarations export exists at run time (fixture/exports.mjs), and runs the
// installed `fixclf` command: --help, a one-epoch training on the oneDNN backend, and its eval.
//
// npm installs with --ignore-scripts: @fixclf/backend-onednn's install compiles its addon (minutes on
// CI); FIXCLF_ONEDNN_ADDON points the installed package at the workspace's build of the same sources.
//
// npm uses its own persistent cache (npm_config_cache, default ~/.npm) and --prefer-offline, so
// only the first run downloads TF.js. FIXCLF_CONSUMER_KEEP=1 keeps the project (its path is printed).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const PACKAGES = ['hadamard', 'layers', 'models', 'datasets'];
/** Packed, checked and installed too; exercised through the `fixclf` command rather than the probes. */
const CLI_PACKAGES = ['train', 'backend-onednn'];
const ADDON = path.join(repoRoot, 'packages', 'backend-onednn', 'build', 'Release', 'fixclf_onednn.node');
const TFJS_VERSION = '4.22.0';
const started = Date.now();
const failures = [];

function log(message) {
  console.log(`[consumer ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
}
function check(condition, message) {
  if (!condition) failures.push(message);
}

/** Runs a command; resolves with its output, rejects with the output in the message. */
function run(command, args, cwd, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${path.basename(command)} ${args.join(' ')} (in ${cwd}) exited with ${code}:\n${output}`));
    });
  });
}

/**
 * tsc on one probe configuration. skipLibCheck is off so that an unresolvable import in our .d.ts
 * is an error (with it on, the import silently becomes `any`); TF.js 4.22's own declarations do not
 * pass --strict without skipLibCheck (TS2411 in tfjs-layers' keras_format, `Long` in tfjs-core), so
 * errors located in node_modules/@tensorflow/ are counted and ignored. Every other error fails.
 */
async function typeCheck(tsc, mode) {
  const result = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', `tsconfig.${mode}.json`, '--pretty', 'false'], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ text, code, signal }));
  });
  const { text: output, code, signal } = result;
  const errors = output.split('\n').filter((line) => /^\S.*: error TS\d+/.test(line) || /^error TS\d+/.test(line));
  const ours = errors.filter((line) => !line.startsWith('node_modules/@tensorflow/'));
  if (ours.length > 0)
    throw new Error(
      `tsc ${mode}:\n${output
        .split('\n')
        .filter((line) => !line.startsWith('node_modules/@tensorflow/'))
        .join('\n')}`,
    );
  // tsc exits 1 or 2 with type errors (only TF.js's, here) and 0 without; anything else (a crash, a signal,
  // a bad option) printed no error TS line and must not pass.
  if (!((code === 0 && errors.length === 0) || ((code === 1 || code === 2) && errors.length > 0)))
    throw new Error(`tsc ${mode} exited with ${signal ?? `code ${code}`} and ${errors.length} type errors:\n${output}`);
  log(`tsc ${mode} ok (${errors.length} errors inside TF.js's own declarations ignored)`);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'fixclf-consumer-'));
const tarballDir = path.join(work, 'tarballs');
const project = path.join(work, 'project');
mkdirSync(tarballDir);
mkdirSync(project);
let passed = false;

try {
  // 1. Pack (pnpm rewrites workspace: ranges as the registry would see them).
  for (const name of [...PACKAGES, ...CLI_PACKAGES]) {
    await run('pnpm', ['pack', '--pack-destination', tarballDir], path.join(repoRoot, 'packages', name));
  }
  const tarballs = Object.fromEntries(
    [...PACKAGES, ...CLI_PACKAGES].map((name) => {
      const file = readdirSync(tarballDir).find((f) => f.startsWith(`fixclf-${name}-`) && f.endsWith('.tgz'));
      if (!file) throw new Error(`pnpm pack left no tarball for @fixclf/${name} in ${tarballDir}`);
      return [name, path.join(tarballDir, file)];
    }),
  );
  log(`packed ${Object.keys(tarballs).length} tarballs`);

  // 2. What each tarball holds.
  for (const [name, tarball] of Object.entries(tarballs)) {
    const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const required of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
    ]) {
      check(entries.includes(`package/${required}`), `@fixclf/${name}: tarball lacks ${required}`);
    }
    for (const entry of entries) {
      check(!/^package\/(src|test|bench|node_modules)\//.test(entry), `@fixclf/${name}: tarball ships ${entry}`);
      check(!entry.endsWith('ts-worker.cjs'), `@fixclf/${name}: tarball ships the test-only ${entry}`);
    }
    // What runs outside dist/: the datasets' worker threads, the CLI, the addon's sources and build script.
    const runtime = {
      datasets: ['dist/worker.js', 'dist/worker.cjs'],
      train: ['bin/fixclf.cjs', 'bin/thread-pool.cjs'],
      'backend-onednn': ['binding.gyp', 'scripts/build-native.mjs', 'scripts/build-state.cjs', 'native/common.h', 'native/conv.cc'],
    };
    for (const file of runtime[name] ?? []) check(entries.includes(`package/${file}`), `@fixclf/${name}: tarball lacks ${file}`);
    // src/ is not shipped: the source maps must carry the sources themselves.
    for (const map of entries.filter((entry) => entry.endsWith('.map'))) {
      const { sources, sourcesContent } = JSON.parse(
        execFileSync('tar', ['-xzOf', tarball, map], { encoding: 'utf8', maxBuffer: 64 << 20 }),
      );
      check(
        Array.isArray(sourcesContent) &&
          sourcesContent.length === sources.length &&
          sourcesContent.every((text) => typeof text === 'string'),
        `@fixclf/${name}: ${map} lacks sourcesContent`,
      );
    }
    const license = execFileSync('tar', ['-xzOf', tarball, 'package/LICENSE'], { encoding: 'utf8' });
    check(
      license.startsWith('MIT License') && license.includes('the fixclf authors'),
      `@fixclf/${name}: LICENSE is not the MIT licence of the fixclf authors`,
    );
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    check(manifest.license === 'MIT', `@fixclf/${name}: license is ${manifest.license}`);
    check(
      manifest.repository?.directory === `packages/${name}`,
      `@fixclf/${name}: repository.directory is ${manifest.repository?.directory}`,
    );
    check(typeof manifest.homepage === 'string' && typeof manifest.bugs?.url === 'string', `@fixclf/${name}: homepage or bugs missing`);
    // Every file an `exports` condition names (subpath entry points such as @fixclf/hadamard/constructions too) ships.
    const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value ?? {}).flatMap(targets));
    for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
      for (const target of targets(conditions))
        check(
          entries.includes(`package/${target.replace(/^\.\//, '')}`),
          `@fixclf/${name}: exports['${subpath}'] names ${target}, which the tarball lacks`,
        );
    }
    for (const field of ['dependencies', 'optionalDependencies']) {
      for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
        check(!String(range).startsWith('workspace:'), `@fixclf/${name}: ${field}.${dep} is ${range}`);
        check(!dep.startsWith('@tensorflow/'), `@fixclf/${name}: ${dep} is a ${field} entry; TF.js must be a peer`);
      }
    }
  }
  if (failures.length > 0) throw new Error('tarball contents');
  log('tarball contents ok');

  // 3. A fresh npm project with the tarballs, TF.js and the @types/node the workspace builds with.
  const typesNode = JSON.parse(
    readFileSync(createRequire(path.join(repoRoot, 'package.json')).resolve('@types/node/package.json'), 'utf8'),
  ).version;
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'fixclf-consumer', version: '0.0.0', private: true }, null, 2));
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      '--ignore-scripts',
      `@tensorflow/tfjs@${TFJS_VERSION}`,
      `@types/node@${typesNode}`,
      ...Object.values(tarballs),
    ],
    project,
  );
  log('npm install ok');
  for (const name of [...PACKAGES, ...CLI_PACKAGES]) {
    check(existsSync(path.join(project, 'node_modules', '@fixclf', name, 'LICENSE')), `@fixclf/${name}: no LICENSE once installed`);
  }
  // One copy of each TF.js package: the libraries take the user's TF.js, never their own.
  const copies = {};
  (function walk(dir) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (entry.name === '@tensorflow') for (const pkg of readdirSync(full)) copies[pkg] = (copies[pkg] ?? 0) + 1;
      else if (entry.name === 'node_modules' || entry.name.startsWith('@')) walk(full);
      else if (existsSync(path.join(full, 'node_modules'))) walk(path.join(full, 'node_modules'));
    }
  })(path.join(project, 'node_modules'));
  for (const [pkg, count] of Object.entries(copies)) check(count === 1, `@tensorflow/${pkg} is installed ${count} times`);
  check(copies['tfjs-core'] === 1, 'no @tensorflow/tfjs-core installed');

  // 4. Type-check the probes (strict, no skipLibCheck) and run the smoke tests.
  for (const file of readdirSync(path.join(here, 'fixture'))) cpSync(path.join(here, 'fixture', file), path.join(project, file));
  cpSync(path.join(project, 'probe.ts'), path.join(project, 'probe.mts'));
  cpSync(path.join(project, 'probe.ts'), path.join(project, 'probe.cts'));
  const repoRequire = createRequire(path.join(repoRoot, 'package.json'));
  const tsc = repoRequire.resolve('typescript/bin/tsc');
  const cliEnv = { ...process.env, FIXCLF_ONEDNN_ADDON: ADDON };
  const exportsCheck = [repoRequire.resolve('typescript'), ...[...PACKAGES, ...CLI_PACKAGES].map((name) => `@fixclf/${name}`)];
  const results = await Promise.allSettled([
    ...['esm', 'cjs', 'bundler'].map((mode) => typeCheck(tsc, mode)),
    ...['smoke.mjs', 'smoke.cjs'].map((file) => run(process.execPath, [file], project).then(() => log(`${file} ok`))),
    run(process.execPath, ['exports.mjs', ...exportsCheck], project, cliEnv).then((output) => log(output.trim())),
  ]);
  for (const result of results) if (result.status === 'rejected') failures.push(result.reason.message);

  // 5. The installed command line, as a user types it: npx finds the bin; the addon is the workspace's.
  const fixclf = path.join(project, 'node_modules', '.bin', 'fixclf');
  const help = await run(fixclf, ['--help'], project, cliEnv);
  for (const command of ['train', 'eval', 'compare']) check(help.includes(command), `fixclf --help does not list '${command}'`);
  // The version is read from the installed package.json, found from the installed dist/.
  const installedVersion = JSON.parse(readFileSync(path.join(project, 'node_modules', '@fixclf', 'train', 'package.json'), 'utf8')).version;
  const version = (await run(fixclf, ['--version'], project, cliEnv)).trim();
  check(version === installedVersion, `fixclf --version printed '${version}', the installed @fixclf/train is ${installedVersion}`);
  // A user's bundle holds our code without our package.json beside it: the version is the build's.
  mkdirSync(path.join(project, 'bundle'));
  cpSync(path.join(project, 'node_modules', '@fixclf', 'train', 'dist', 'cli', 'main.cjs'), path.join(project, 'bundle', 'cli.cjs'));
  const bundledVersion = (
    await run(process.execPath, ['-e', "require('./bundle/cli.cjs').main(['node', 'fixclf', '--version'])"], project, cliEnv)
  ).trim();
  check(bundledVersion === installedVersion, `a bundle of @fixclf/train printed version '${bundledVersion}', not ${installedVersion}`);
  // The preload that sizes libuv's thread pool for sharp, by the package's name, as a script of one's own uses it.
  const { UV_THREADPOOL_SIZE: _, ...withoutPool } = cliEnv;
  const pool = await run(
    process.execPath,
    ['--require', '@fixclf/train/thread-pool', '-p', 'process.env.UV_THREADPOOL_SIZE'],
    project,
    withoutPool,
  );
  const cores = String(Math.max(4, os.availableParallelism()));
  check(pool.trim() === cores, `node --require @fixclf/train/thread-pool set UV_THREADPOOL_SIZE to '${pool.trim()}', not ${cores}`);
  const trained = await run(
    fixclf,
    [
      'train',
      '--model',
      'resnet20',
      '--dataset',
      'synthetic',
      '--synthetic-size',
      '64',
      '--batch-size',
      '32',
      '--epochs',
      '1',
      '--validation',
      'none',
      '--backend',
      'onednn',
      '--out',
      'run',
    ],
    project,
    cliEnv,
  );
  check(trained.includes('backend: onednn'), `fixclf train did not run on the installed oneDNN backend:\n${trained}`);
  const environment = JSON.parse(readFileSync(path.join(project, 'run', 'run.json'), 'utf8')).environment;
  check(
    environment?.fixclf === installedVersion && /^oneDNN \d+\.\d+\.\d+$/.test(environment?.library ?? ''),
    `run.json's environment does not name the installed fixclf and oneDNN: ${JSON.stringify(environment)}`,
  );
  const metrics = readFileSync(path.join(project, 'run', 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n');
  check(metrics.length === 1, `fixclf train logged ${metrics.length} epochs, not 1`);
  const evaluated = JSON.parse(
    (await run(fixclf, ['eval', '--run', 'run', '--split', 'train'], project, cliEnv)).trim().split('\n').at(-1),
  );
  check(evaluated.count === 64 && evaluated.checkpoint?.epoch === 1, `fixclf eval gave ${JSON.stringify(evaluated)}`);
  log(
    'fixclf --help, --version (installed and bundled), train (onednn, one epoch, its environment in run.json) and eval ok; --require @fixclf/train/thread-pool ok',
  );
  passed = failures.length === 0;
} catch (error) {
  if (failures.length === 0) failures.push(error instanceof Error ? error.message : String(error));
} finally {
  if (passed && process.env.FIXCLF_CONSUMER_KEEP !== '1') rmSync(work, { recursive: true, force: true });
  else console.log(`consumer project kept in ${project}`);
}

if (!passed) {
  console.error(`consumer fixture FAILED:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
log(
  'consumer fixture passed: hadamard, layers, models, datasets from their tarballs (nodenext ESM, nodenext CJS, bundler); fixclf from train and backend-onednn',
);
