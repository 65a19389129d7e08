import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';

export type BackendChoice = 'auto' | 'onednn' | 'cpu' | 'tensorflow' | 'tensorflow-gpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'onednn', 'cpu', 'tensorflow', 'tensorflow-gpu'];

export interface SelectedBackend {
  /** The TF.js backend name now active. */
  name: string;
  /** Why this one: what was tried and what happened. */
  reason: string;
}

interface Candidate {
  choice: Exclude<BackendChoice, 'auto'>;
  backend: string;
  /** The package that registers it; null for the pure-JS cpu backend. */
  module: string | null;
  /** Why it cannot be used here, or null. */
  precondition?: () => string | null;
  /** Same numbers run to run with a fixed thread count (false: TensorFlow's own thread pool decides). */
  deterministic: boolean;
}

const CANDIDATES: Candidate[] = [
  {
    choice: 'tensorflow-gpu',
    backend: 'tensorflow',
    module: '@tensorflow/tfjs-node-gpu',
    precondition: () => (gpuCount() > 0 ? null : 'no NVIDIA GPU visible'),
    deterministic: false,
  },
  { choice: 'tensorflow', backend: 'tensorflow', module: '@tensorflow/tfjs-node', deterministic: false },
  { choice: 'onednn', backend: 'onednn', module: '@fixclf/backend-onednn', deterministic: true },
  { choice: 'cpu', backend: 'cpu', module: null, deterministic: true },
];

/**
 * tfjs-core alone registers no backend: the cpu backend is registered by @tensorflow/tfjs (our peer,
 * which brings @tensorflow/tfjs-backend-cpu). Under `auto` it used to arrive only as a side effect of
 * importing @fixclf/backend-onednn, so an explicit `--backend cpu` found nothing registered.
 */
async function registerCpu(): Promise<string | null> {
  if (tf.findBackendFactory('cpu') != null) return null;
  return tryImport('@tensorflow/tfjs');
}

/**
 * Activates a TF.js backend. `auto` takes, in order, @tensorflow/tfjs-node-gpu when it is installed
 * and a GPU is visible, @tensorflow/tfjs-node, @fixclf/backend-onednn, then the pure-JS cpu backend,
 * and says which one and why. The tfjs-node packages are optional: the user installs them.
 * `deterministic` admits only backends whose sums can be given a fixed order (onednn at a fixed
 * thread count, cpu): the tfjs-node ones are skipped under `auto` and refused when named.
 */
export async function selectBackend(
  choice: BackendChoice = 'auto',
  options: { deterministic?: boolean | undefined } = {},
): Promise<SelectedBackend> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new Error(`Unknown backend '${choice}'; expected one of ${BACKEND_CHOICES.join(', ')}.`);
  }
  const deterministic = options.deterministic ?? false;
  const tried: string[] = [];
  for (const c of choice === 'auto' ? CANDIDATES : CANDIDATES.filter((x) => x.choice === choice)) {
    if (deterministic && !c.deterministic) {
      const why = 'its thread pool sets the order of sums, which --deterministic cannot fix';
      if (choice !== 'auto')
        throw new Error(`--backend ${choice} cannot run --deterministic: ${why}; use --backend onednn or cpu, or drop --deterministic.`);
      tried.push(`${c.module ?? c.backend}: ${why}`);
      continue;
    }
    const problem = c.precondition?.() ?? (c.module ? await tryImport(c.module) : await registerCpu());
    if (problem) {
      if (choice !== 'auto') throw new Error(`Backend '${choice}' is not available: ${problem}.`);
      tried.push(`${c.module ?? c.backend}: ${problem}`);
      continue;
    }
    if (!(await tf.setBackend(c.backend))) {
      const why = `registered, but it failed to initialise`;
      if (choice !== 'auto') throw new Error(`Backend '${choice}' is not available: ${why}.`);
      tried.push(`${c.module ?? c.backend}: ${why}`);
      continue;
    }
    await tf.ready();
    // The cpu backend's first tensor prints a banner recommending tfjs-node; our reason says it already.
    // `firstUse` is private to TF.js (no public switch exists); select-backend.test.ts fails if it goes,
    // and then only the banner comes back.
    if (c.backend === 'cpu' && 'firstUse' in tf.backend()) Object.assign(tf.backend(), { firstUse: false });
    const how = c.module ? `from ${c.module}` : 'pure JavaScript (slow: for tests and tiny models)';
    const reason = choice === 'auto' ? `auto: ${how}${tried.length ? `; skipped ${tried.join('; ')}` : ''}` : `requested: ${how}`;
    return { name: tf.getBackend(), reason };
  }
  throw new Error(`No TF.js backend could be activated (${tried.join('; ')}).`);
}

async function tryImport(module: string): Promise<string | null> {
  try {
    await import(module);
    return null;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') return 'not installed';
    // One sentence, which the caller ends: the backends' own messages end with their full stop.
    return e.message.split('\n')[0]!.replace(/\.$/, '');
  }
}

function gpuCount(): number {
  try {
    if (existsSync('/proc/driver/nvidia/gpus')) return readdirSync('/proc/driver/nvidia/gpus').length;
    return execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 5000 })
      .split('\n')
      .filter((l) => l.startsWith('GPU')).length;
  } catch {
    return 0;
  }
}
