/**
 * Test-only interruption points. Crash safety can only be tested by stopping the process at an
 * exact place (between two renames, after the checkpoint but before the metrics line), which a
 * timer or a lucky kill never hits reliably. Tests set, in a child process:
 *
 * - FIXCLF_TEST_KILL_AT=<point>[:<n>]: SIGKILL this process the n-th time (default first) it
 *   reaches the named point: nothing after it runs, as with `kill -9` or a power cut of the process.
 * - FIXCLF_TEST_SIGINT_AT=<point>[:<n>][,<point>[:<n>]…]: send this process one SIGINT per entry that
 *   matches, as a Ctrl-C arriving while that point runs (two entries at one point: two Ctrl-C).
 *
 * Points: data-opened (once the datasets are open), after-step (each training step), before-checkpoint-marker, between-renames,
 * after-checkpoint-before-metrics, between-metrics-files, during-log-rewrite. Without these
 * variables (always, outside tests) a point costs one lookup.
 */
const reached = new Map<string, number>();

export function interruptionPoint(name: string): void {
  const kill = process.env.FIXCLF_TEST_KILL_AT;
  const sigint = process.env.FIXCLF_TEST_SIGINT_AT;
  if (!kill && !sigint) return;
  const count = (reached.get(name) ?? 0) + 1;
  reached.set(name, count);
  for (const entry of (sigint ?? '').split(',')) {
    if (matches(entry, name, count)) process.kill(process.pid, 'SIGINT');
  }
  if (kill && matches(kill, name, count)) process.kill(process.pid, 'SIGKILL');
}

function matches(entry: string, name: string, count: number): boolean {
  const [point, n] = entry.trim().split(':');
  return point === name && count === (n ? Number(n) : 1);
}
