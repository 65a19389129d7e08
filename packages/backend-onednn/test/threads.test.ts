import os from 'node:os';

import { getThreads, setThreads } from '../src/index';
import { adaptThreads } from '../src/threads';

describe("setThreads('auto') follows the machine's load", () => {
  const cores = os.availableParallelism();
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

  test('counts the cores this process may run on (its affinity mask, a cpuset), not every core of the host', () => {
    setThreads('auto');
    jest.spyOn(os, 'loadavg').mockReturnValue([0, 0, 0]);
    jest.spyOn(os, 'cpus').mockReturnValue(Array.from({ length: 32 }, () => os.cpus()[0]!));
    jest.spyOn(os, 'availableParallelism').mockReturnValue(1);
    adaptThreads(4e12); // starts measuring
    adaptThreads(4e12 + 10_000);
    expect(getThreads()).toBe(1);
    jest.restoreAllMocks();
  });

  test('a fixed count turns the adaptation off', () => {
    setThreads(1);
    jest.spyOn(os, 'loadavg').mockReturnValue([0, 0, 0]);
    adaptThreads(3e12);
    expect(getThreads()).toBe(1);
    expect(() => setThreads(0)).toThrow(/positive integer/);
  });
});
