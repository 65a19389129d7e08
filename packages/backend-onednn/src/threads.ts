// The default thread policy ('auto'): follow the machine's load. On cores shared with other work, each parallel
// region waits for whichever of its threads was descheduled; measured on 2 cores next to another 2-thread
// job, one thread trained ResNet-20 1.9x faster than two. Every 2 seconds the thread count becomes the
// cores the rest of the machine leaves free, at least 1: the 1-minute load average minus the cores this
// process itself kept busy since the last check.
import os from 'node:os';

import { native } from './native';

const FIRST_CHECK_MS = 1_000;
const CHECK_EVERY_MS = 2_000;

let adaptive = false;
let nextCheck = 0;
let lastWall = 0;
let lastCpu = process.cpuUsage();

export function isAdaptive(): boolean {
  return adaptive;
}

export function enableAdaptiveThreads(enabled: boolean): void {
  adaptive = enabled;
  nextCheck = 0;
  lastWall = 0;
}

/** Called before kernels run; cheap unless a check is due. */
export function adaptThreads(now: number): void {
  if (!adaptive || now < nextCheck) return;
  const cpu = process.cpuUsage();
  if (lastWall === 0 || now <= lastWall) {
    // The first call only starts the measurement of how many cores this process keeps busy.
    lastWall = now;
    lastCpu = cpu;
    nextCheck = now + FIRST_CHECK_MS;
    return;
  }
  nextCheck = now + CHECK_EVERY_MS;
  const ours = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000 / (now - lastWall);
  lastWall = now;
  lastCpu = cpu;
  // The cores this process may run on (its affinity mask, a container's cpuset), not every core of the host.
  const cores = os.availableParallelism();
  const others = Math.max(0, os.loadavg()[0]! - ours);
  const free = Math.max(1, Math.min(cores, Math.round(cores - others)));
  native.setThreads(free); // the native side ignores an unchanged count (its primitive cache stays)
}
