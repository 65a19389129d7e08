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
  /** The package that registers it; null for the built-in cpu backend. */
  module: string | null;
  /** Why it cannot be used here, or null. */
  precondition?: () => string | null;
}

const CANDIDATES: Candidate[] = [
  { choice: 'tensorflow-gpu', backend: 'tensorflow', module: '@tensorflow/tfjs-node-gpu', precondition: () => (gpuCount() > 0 ? null : 'no NVIDIA GPU visible') },
  { choice: 'tensorflow', backend: 'tensorflow', module: '@tensorflow/tfjs-node' },
  { choice: 'onednn', backend: 'onednn', module: '@fixclf/backend-onednn' },
  { choice: 'cpu', backend: 'cpu', module: null },
];

/**
 * Activates a TF.js backend. `auto` takes, in order, @tensorflow/tfjs-node-gpu when it is installed
 * and a GPU is visible, @tensorflow/tfjs-node, @fixclf/backend-onednn, then the pure-JS cpu backend,
 * and says which one and why. The tfjs-node packages are optional: the user installs them.
 */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<SelectedBackend> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new Error(`Unknown backend '${choice}'; expected one of ${BACKEND_CHOICES.join(', ')}.`);
  }
  const tried: string[] = [];
  for (const c of choice === 'auto' ? CANDIDATES : CANDIDATES.filter((x) => x.choice === choice)) {
    const problem = c.precondition?.() ?? (c.module ? await tryImport(c.module) : null);
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
    return e.message.split('\n')[0]!;
  }
}

function gpuCount(): number {
  try {
    if (existsSync('/proc/driver/nvidia/gpus')) return readdirSync('/proc/driver/nvidia/gpus').length;
    return execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 5000 }).split('\n').filter((l) => l.startsWith('GPU')).length;
  } catch {
    return 0;
  }
}
