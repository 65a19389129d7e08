// The build record shared by the build script and the loader: what makes an install rebuild, reconfigure
// or leave the addon alone, the sources' fingerprint, and oneDNN's version read from its headers.
import { execSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { buildAction, findNodeGyp, onednnVersion, portableRequested, sourcesHash } from '../scripts/build-state.cjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'onednn-build-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const packageDir = path.resolve(__dirname, '..');

test('sourcesHash: the same for a copy of the sources, another when a source or binding.gyp changes', () => {
  const copy = path.join(dir, 'copy');
  mkdirSync(copy);
  cpSync(path.join(packageDir, 'native'), path.join(copy, 'native'), { recursive: true });
  cpSync(path.join(packageDir, 'binding.gyp'), path.join(copy, 'binding.gyp'));
  const original = sourcesHash(packageDir);
  expect(original).toMatch(/^[0-9a-f]{64}$/);
  expect(sourcesHash(copy)).toBe(original);
  writeFileSync(path.join(copy, 'native', 'eltwise.cc'), '// changed\n', { flag: 'a' });
  const changed = sourcesHash(copy);
  expect(changed).not.toBe(original);
  writeFileSync(path.join(copy, 'binding.gyp'), '\n', { flag: 'a' });
  expect(sourcesHash(copy)).not.toBe(changed);
});

describe('buildAction', () => {
  const current = { sources: 'a', nodeAbi: '115', portable: 0, include: '/usr/include' };
  const built = { addonExists: true, configured: true };
  it('leaves an addon alone whose record matches (what makes `npm rebuild` of an up-to-date install cheap)', () => {
    expect(buildAction({ ...current }, current, built)).toBe('none');
  });
  it('builds (make) when only the sources changed, or the addon file is gone', () => {
    expect(buildAction({ ...current, sources: 'b' }, current, built)).toBe('build');
    expect(buildAction({ ...current }, current, { addonExists: false, configured: true })).toBe('build');
  });
  it('reconfigures when the Node ABI, FIXCLF_ONEDNN_PORTABLE or oneDNN moved, when there is no record, or nothing is configured', () => {
    for (const change of [{ nodeAbi: '127' }, { portable: 1 }, { include: '/opt/dnnl/include' }]) {
      expect(buildAction({ ...current, ...change }, current, built)).toBe('configure');
    }
    expect(buildAction(null, current, built)).toBe('configure');
    expect(buildAction({ ...current }, current, { addonExists: true, configured: false })).toBe('configure');
  });
});

test('onednnVersion reads DNNL_VERSION_* from the headers (oneapi/dnnl/ or flat), null without them', () => {
  const three = path.join(dir, 'three', 'include');
  mkdirSync(path.join(three, 'oneapi', 'dnnl'), { recursive: true });
  writeFileSync(
    path.join(three, 'oneapi', 'dnnl', 'dnnl_version.h'),
    '#define DNNL_VERSION_MAJOR 3\n#define DNNL_VERSION_MINOR 11\n#define DNNL_VERSION_PATCH 2\n',
  );
  expect(onednnVersion(three)).toEqual({ major: 3, minor: 11, patch: 2 });
  const flat = path.join(dir, 'flat');
  mkdirSync(flat);
  writeFileSync(
    path.join(flat, 'dnnl_version.h'),
    '#define DNNL_VERSION_MAJOR 2\n#define DNNL_VERSION_MINOR 7\n#define DNNL_VERSION_PATCH 5\n',
  );
  expect(onednnVersion(flat)).toEqual({ major: 2, minor: 7, patch: 5 });
  expect(onednnVersion(path.join(dir, 'none'))).toBeNull();
  // The oneDNN this package is built against here (Debian's libdnnl-dev).
  expect(onednnVersion('/usr/include')?.major).toBe(2);
});

test('portableRequested: FIXCLF_ONEDNN_PORTABLE=1 (or any other word) asks for a portable build; unset, empty, 0, false, no, off do not', () => {
  for (const on of ['1', 'true', 'yes', 'ON', 'portable']) expect(portableRequested({ FIXCLF_ONEDNN_PORTABLE: on })).toBe(true);
  for (const off of [undefined, '', ' ', '0', 'false', 'No', 'OFF']) expect(portableRequested({ FIXCLF_ONEDNN_PORTABLE: off })).toBe(false);
});

test("binding.gyp's portable variable follows the same rule (the compiler flags come from it, the build record from portableRequested)", () => {
  const gyp = JSON.parse(readFileSync(path.join(packageDir, 'binding.gyp'), 'utf8')) as { variables: Record<string, string> };
  // gyp runs `<!(command)` in the .gyp file's directory through the shell.
  const command = /^<!\((.*)\)$/.exec(gyp.variables['portable%']!)![1]!;
  const portable = (value: string | undefined) => {
    const env: NodeJS.ProcessEnv = { ...process.env, FIXCLF_ONEDNN_PORTABLE: value };
    if (value === undefined) delete env.FIXCLF_ONEDNN_PORTABLE;
    return execSync(command, { cwd: packageDir, env, encoding: 'utf8' }).trim();
  };
  for (const value of [undefined, '0', 'off', '1', 'yes'])
    expect(portable(value)).toBe(portableRequested({ FIXCLF_ONEDNN_PORTABLE: value }) ? '1' : '0');
});

describe('where the build script finds node-gyp', () => {
  // A consumer's package without node-gyp among its dependencies, and a Node without npm beside it.
  const root = path.join(dir, 'node-gyp');
  const consumer = path.join(root, 'consumer');
  const node = path.join(root, 'bare-node', 'bin', 'node');
  const gypScript = (prefix: string) => {
    const file = path.join(prefix, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
    return file;
  };
  beforeAll(() => mkdirSync(consumer, { recursive: true }));
  // Node's resolver from the consumer (Jest's own would find the workspace's node-gyp).
  const notInstalled = (request: string): string => {
    throw new Error(`Cannot find module '${request}'`);
  };

  test('nowhere: undefined', () => {
    expect(findNodeGyp({ PATH: path.join(root, 'empty') }, consumer, node, notInstalled)).toBeUndefined();
  });

  test('`npm i -g node-gyp`: the link npm puts on PATH, run with Node', () => {
    const globalPrefix = path.join(root, 'global');
    const script = gypScript(path.join(globalPrefix, 'lib'));
    mkdirSync(path.join(globalPrefix, 'bin'), { recursive: true });
    symlinkSync(script, path.join(globalPrefix, 'bin', 'node-gyp'));
    const found = findNodeGyp(
      { PATH: ['/nonexistent', path.join(globalPrefix, 'bin')].join(path.delimiter) },
      consumer,
      node,
      notInstalled,
    );
    expect(found).toEqual({ file: script, node: true, from: 'PATH' });
  });

  test('npm’s bundled copy beside the npm that runs the script, before PATH', () => {
    const npm = path.join(root, 'npm');
    const script = gypScript(npm);
    const env = { npm_execpath: path.join(npm, 'bin', 'npm-cli.js'), PATH: path.join(root, 'global', 'bin') };
    expect(findNodeGyp(env, consumer, node, notInstalled)).toEqual({
      file: path.resolve(script),
      node: true,
      from: 'npm’s bundled copy'.replace('’', "'"),
    });
  });

  test('npm_config_node_gyp first, then the package’s own dependency', () => {
    expect(findNodeGyp({ npm_config_node_gyp: __filename }, packageDir, node)?.file).toBe(__filename);
    expect(findNodeGyp({}, packageDir, node)?.from).toBe("the package's dependencies");
  });
});
