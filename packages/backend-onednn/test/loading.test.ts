// Each way the addon can fail to load gets its own code and fix. The failures are real: stub shared
// objects compiled here with the system C compiler, loaded by Node's own loader.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { sourcesHash } from '../scripts/build-state.cjs';
import { type AddonLoadError, notBuilt } from '../src/addon-load-error';

const dir = mkdtempSync(path.join(os.tmpdir(), 'onednn-loading-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const saved = process.env.FIXCLF_ONEDNN_ADDON;
afterEach(() => {
  if (saved === undefined) delete process.env.FIXCLF_ONEDNN_ADDON;
  else process.env.FIXCLF_ONEDNN_ADDON = saved;
});

/** Loads the package's entry (or `module`) in a fresh module registry with the addon at `file`; what it threw. */
function tryLoad(file: string, module = '../src/index'): unknown {
  process.env.FIXCLF_ONEDNN_ADDON = file;
  let error: unknown;
  jest.isolateModules(() => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules needs a synchronous load
      require(module);
    } catch (e) {
      error = e;
    }
  });
  return error;
}

/** tryLoad, which must fail. */
function loadWith(file: string, module = '../src/index'): AddonLoadError {
  const error = tryLoad(file, module);
  expect(error).toBeInstanceOf(Error);
  return error as AddonLoadError;
}

function compile(name: string, source: string, args: readonly string[] = []): string {
  const c = path.join(dir, `${name}.c`);
  const out = path.join(dir, name);
  writeFileSync(c, source);
  execFileSync('cc', ['-shared', '-fPIC', '-o', out, c, ...args], { stdio: 'pipe' });
  return out;
}

const firstLine = (e: Error) => e.message.split('\n')[0]!;

test('no addon file: not-built, with the paths, what to install and how pnpm users allow the build', () => {
  const error = notBuilt(['/nonexistent/build/Release/fixclf_onednn.node']);
  expect(error.code).toBe('not-built');
  expect(firstLine(error)).toBe(error.message);
  expect(error.message).toContain('/nonexistent/build/Release/fixclf_onednn.node');
  expect(error.message).toMatch(/apt-get install libdnnl-dev/);
  expect(error.message).toMatch(/npm rebuild @fixclf\/backend-onednn/);
  expect(error.message).toMatch(/pnpm approve-builds @fixclf\/backend-onednn/);
});

test('FIXCLF_ONEDNN_ADDON naming a missing file: not-built, naming the variable and the file, not a rebuild', () => {
  const error = loadWith('missing/fixclf_onednn.node');
  expect(error.code).toBe('not-built');
  expect(firstLine(error)).toBe(error.message);
  expect(error.message).toContain(`FIXCLF_ONEDNN_ADDON is set to ${path.resolve('missing/fixclf_onednn.node')}`);
  expect(error.message).not.toMatch(/npm rebuild/);
});

test('FIXCLF_ONEDNN_ADDON as a relative path: taken from the working directory, and the addon loads', () => {
  const built = path.join(__dirname, '..', 'build', 'Release', 'fixclf_onednn.node');
  const copy = path.join(dir, 'relative', 'fixclf_onednn.node');
  mkdirSync(path.dirname(copy), { recursive: true });
  copyFileSync(built, copy);
  const relative = path.relative(process.cwd(), copy);
  expect(path.isAbsolute(relative)).toBe(false);
  expect(tryLoad(relative, '../src/native')).toBeUndefined();
});

test('a file that is no shared library: load-failed, carrying the loader’s own words', () => {
  const file = path.join(dir, 'garbage.node');
  writeFileSync(file, 'not a shared library');
  const error = loadWith(file, '../src/native');
  expect(error.code).toBe('load-failed');
  expect(firstLine(error)).toBe(error.message);
  expect(error.message).toContain(file);
  expect(error.message).toMatch(/invalid ELF header|file too short/);
  expect(String((error.cause as Error).message)).toMatch(/invalid ELF header|file too short/);
});

test('oneDNN’s shared library gone: onednn-missing, naming the library', () => {
  // A stand-in libdnnl that the stub links against, then removed, as after `apt-get remove libdnnl2`.
  const lib = compile('libdnnl.so.99', 'int dnnl_stand_in(void) { return 0; }', ['-Wl,-soname,libdnnl.so.99']);
  const stub = compile('needs-dnnl.node', 'extern int dnnl_stand_in(void); int use(void) { return dnnl_stand_in(); }', [
    `-L${dir}`,
    '-l:libdnnl.so.99',
  ]);
  rmSync(lib);
  const error = loadWith(stub, '../src/native');
  expect(error.code).toBe('onednn-missing');
  expect(error.message).toContain('libdnnl.so.99');
  expect(error.message).toMatch(/apt-get install libdnnl-dev/);
  expect(error.message).toMatch(/LD_LIBRARY_PATH/);
});

test('a module of another Node ABI: node-abi, with both ABI versions', () => {
  // The classic registration an addon compiled for NODE_MODULE_VERSION 1 performs when it loads.
  const stub = compile(
    'old-abi.node',
    `struct node_module { int nm_version; unsigned int nm_flags; void *dso, *file, *reg, *ctx; const char *name; void *priv, *link; };
     extern void node_module_register(void *);
     static struct node_module m = { 1, 0, 0, 0, 0, 0, "old_abi", 0, 0 };
     __attribute__((constructor)) static void init(void) { node_module_register(&m); }`,
  );
  const error = loadWith(stub, '../src/native');
  expect(error.code).toBe('node-abi');
  expect(firstLine(error)).toBe(error.message);
  expect(error.message).toContain(`built for ABI 1, this Node.js ${process.version} needs ${process.versions.modules}`);
  expect(error.message).toMatch(/npm rebuild @fixclf\/backend-onednn/);
});

test('an addon lacking today’s functions: stale-build, naming what is missing', () => {
  const include = path.resolve(path.dirname(process.execPath), '..', 'include', 'node');
  expect(existsSync(path.join(include, 'node_api.h'))).toBe(true);
  const stub = compile(
    'stale.node',
    `#include <node_api.h>
     NAPI_MODULE_INIT() { return exports; }`,
    [`-I${include}`],
  );
  const error = loadWith(stub, '../src/native');
  expect(error.code).toBe('stale-build');
  expect(error.message).toContain('convForward');
  expect(error.message).toContain(stub);
});

test('the real addon under a build record of other sources: stale-build, though every function is there', () => {
  const real = path.resolve(__dirname, '..', 'build', 'Release', 'fixclf_onednn.node');
  const copy = path.join(dir, 'recorded', 'fixclf_onednn.node');
  mkdirSync(path.dirname(copy), { recursive: true });
  copyFileSync(real, copy);
  const packageDir = path.resolve(__dirname, '..');
  // The record of a build of these very sources loads; one of other sources does not.
  writeFileSync(path.join(dir, 'recorded', 'fixclf_onednn.build.json'), JSON.stringify({ sources: sourcesHash(packageDir), packageDir }));
  expect(tryLoad(copy, '../src/native')).toBeUndefined();
  writeFileSync(path.join(dir, 'recorded', 'fixclf_onednn.build.json'), JSON.stringify({ sources: 'f'.repeat(64), packageDir }));
  const error = loadWith(copy, '../src/native');
  expect(error.code).toBe('stale-build');
  expect(error.message).toContain(`${copy} is a build of another version (it was built from other sources than the native/ beside it)`);
});

test.each([
  ['onednn-version', 'oneDNN 3.11.2 is installed (/opt/homebrew/include), but this addon needs oneDNN 2.x'],
  ['build-failed', 'building the native addon failed (see the compiler output above).'],
])('a build that did not succeed: %s, with the cause the build script recorded', (code, message) => {
  const addon = path.join(dir, `failed-${code}`, 'fixclf_onednn.node');
  mkdirSync(path.dirname(addon), { recursive: true });
  writeFileSync(path.join(path.dirname(addon), 'fixclf_onednn.failure.json'), JSON.stringify({ code, message }));
  const error = loadWith(addon, '../src/native');
  expect(error.code).toBe(code);
  expect(firstLine(error)).toBe(error.message);
  expect(error.message).toContain(message);
});
