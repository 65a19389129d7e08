// The fixclf command sizes libuv's thread pool, on which sharp decodes, to the cores (bin/thread-pool.cjs).
// Checked by the threads the process really has after a burst of asynchronous reads (libuv starts
// the whole pool at its first use), against a plain `node` doing the same.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PRELOAD = path.join(__dirname, '..', 'bin', 'thread-pool.cjs');

/** Reads a file 32 times at once, then prints UV_THREADPOOL_SIZE and the threads of the process. */
const BURST = `
const fs = require('node:fs');
Promise.all(Array.from({ length: 32 }, () => fs.promises.readFile(${JSON.stringify(__filename)}))).then(() =>
  console.log(JSON.stringify({ size: process.env.UV_THREADPOOL_SIZE ?? null, threads: fs.readdirSync('/proc/self/task').length })),
);`;

function run(args: string[], env: Record<string, string> = {}): { size: string | null; threads: number } {
  const { UV_THREADPOOL_SIZE: _, ...rest } = process.env;
  return JSON.parse(execFileSync(process.execPath, args, { env: { ...rest, ...env }, encoding: 'utf8' }));
}

describe('bin/thread-pool.cjs', () => {
  const plain = run(['-e', BURST]);
  const cores = os.availableParallelism();

  it('gives the pool one thread a core, at least libuv’s 4', () => {
    expect(plain.size).toBeNull();
    const sized = run(['--require', PRELOAD, '-e', BURST]);
    expect(sized.size).toBe(String(Math.max(4, cores)));
    expect(sized.threads - plain.threads).toBe(Math.max(4, cores) - 4);
    // The same by the package's name, as scripts preload it (`node --require @fixclf/train/thread-pool`).
    expect(run(['--require', '@fixclf/train/thread-pool', '-e', BURST])).toEqual(sized);
  });

  it('a size set in a CommonJS preload, as this file does, takes effect (on any machine: 9 threads, not 4)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fixclf-pool-'));
    try {
      const preload = path.join(dir, 'preload.cjs');
      writeFileSync(preload, "process.env.UV_THREADPOOL_SIZE = '9';\n");
      expect(run(['--require', preload, '-e', BURST])).toEqual({ size: '9', threads: plain.threads + 5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a size the user set', () => {
    const user = run(['--require', PRELOAD, '-e', BURST], { UV_THREADPOOL_SIZE: '9' });
    expect(user).toEqual({ size: '9', threads: plain.threads + 5 });
  });

  it('must run before an ES module file loads: set from one, it is too late (why the command is CommonJS)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fixclf-pool-'));
    try {
      const file = path.join(dir, 'entry.mjs');
      writeFileSync(
        file,
        `process.env.UV_THREADPOOL_SIZE = '9';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${BURST}`,
      );
      expect(run([file])).toEqual({ size: '9', threads: plain.threads });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
