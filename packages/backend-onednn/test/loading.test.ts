import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { MISSING_ADDON_MESSAGE } from '../src/native';

describe('without the native addon', () => {
  const saved = process.env.FIXCLF_ONEDNN_ADDON;
  afterEach(() => {
    if (saved === undefined) delete process.env.FIXCLF_ONEDNN_ADDON;
    else process.env.FIXCLF_ONEDNN_ADDON = saved;
  });

  test('importing the package throws one sentence that says what to install', () => {
    process.env.FIXCLF_ONEDNN_ADDON = '/nonexistent/fixclf_onednn.node';
    let error: unknown;
    jest.isolateModules(() => {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules needs a synchronous load
        require('../src/index');
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(MISSING_ADDON_MESSAGE);
    expect(MISSING_ADDON_MESSAGE).toMatch(/apt-get install libdnnl-dev/);
    expect(MISSING_ADDON_MESSAGE.match(/\. /g)).toBeNull(); // a single sentence
  });

  test('a file that is not a loadable addon gives the same sentence', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'onednn-')), 'fixclf_onednn.node');
    writeFileSync(file, 'not a shared library');
    process.env.FIXCLF_ONEDNN_ADDON = file;
    let error: unknown;
    jest.isolateModules(() => {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules needs a synchronous load
        require('../src/native');
      } catch (e) {
        error = e;
      }
    });
    expect((error as Error).message).toBe(MISSING_ADDON_MESSAGE);
  });
});
