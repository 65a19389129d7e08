import os from 'node:os';

import { getThreads, setThreads } from '../src/index';
import { adaptThreads } from '../src/threads';

describe("setThreads('auto') follows the machine's load", () => {
  const cores = os.cpus().length;
  const initial = getThreads();
  afterAll(() => setThreads(initial));

  test('fewer threads while other work keeps the cores busy, all of them again once it stops', () => {
    setThreads('auto');
    setThreads(cores);
    setThreads('auto');
    const load = jest.spyOn(os, 'loadavg');
    // Other work worth every core besides ours: one thread is left.
    load.mockReturnValue([getThreads() + cores, 0, 0]);
    adaptThreads(1e12); // starts measuring
    adaptThreads(1e12 + 10_000);
    expect(getThreads()).toBe(1);
    // Nothing else running: every core.
    load.mockReturnValue([0, 0, 0]);
    adaptThreads(2e12);
    expect(getThreads()).toBe(cores);
  });

  test('a fixed count turns the adaptation off', () => {
    setThreads(1);
    jest.spyOn(os, 'loadavg').mockReturnValue([0, 0, 0]);
    adaptThreads(3e12);
    expect(getThreads()).toBe(1);
    expect(() => setThreads(0)).toThrow(/positive integer/);
  });
});
