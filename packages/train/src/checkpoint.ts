import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { exists, replaceDirAtomic } from './io/atomic';
import { fileSystemHandler } from './io/file-handler';
import { interruptionPoint } from './io/test-hooks';
import type { EpochRecord } from './logging/metrics-log';
import type { MeterState } from './metrics';
import type { SGD } from './optim/sgd';

export const CHECKPOINT_DIR = 'checkpoint';
/** Written last into a checkpoint directory: without it the directory is a fragment. */
export const COMPLETE_MARKER = 'complete';

/** Where training stands: enough to continue exactly where it stopped. */
export interface Checkpoint {
  /** Epochs completed. */
  epoch: number;
  /** Steps completed in the next epoch (non-zero only after an interruption). */
  step: number;
  /** Sums of the interrupted epoch so far. */
  meter: MeterState | null;
  /** Training seconds spent in the interrupted epoch so far. */
  seconds: number;
  /**
   * The records of the `epoch` completed epochs: the metrics logs are rebuilt from these on resume,
   * so a kill between the checkpoint and the log line loses nothing. Absent in older checkpoints.
   */
  records?: EpochRecord[];
}

/** A complete checkpoint on disk. */
export interface FoundCheckpoint {
  /** Its directory: runDir/checkpoint normally, or a leftover of an interrupted save. */
  dir: string;
  state: Checkpoint;
}

interface OptimizerManifest {
  buffers: ({ shape: number[] } | null)[];
}

/**
 * Writes runDir/checkpoint/ as a whole: model/ (model.json + weights.bin, loadable with
 * tf.loadLayersModel), optimizer.bin + optimizer.json (momentum buffers by weight position) and
 * state.json, then the `complete` marker. The previous checkpoint is replaced only once the new one
 * is complete; findCheckpoint recovers from a kill at any point of this.
 */
export async function saveCheckpoint(runDir: string, model: LayersModel, sgd: SGD, state: Checkpoint): Promise<void> {
  await replaceDirAtomic(path.join(runDir, CHECKPOINT_DIR), async (tmp) => {
    await model.save(fileSystemHandler(path.join(tmp, 'model')));
    const buffers = sgd.getState();
    const manifest: OptimizerManifest = { buffers: buffers.map((b) => (b ? { shape: b.shape } : null)) };
    const data = buffers.filter((b): b is tf.Tensor => b != null).map((b) => b.dataSync() as Float32Array);
    const bytes = new Uint8Array(data.reduce((s, d) => s + d.byteLength, 0));
    let offset = 0;
    for (const d of data) {
      bytes.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), offset);
      offset += d.byteLength;
    }
    await fs.writeFile(path.join(tmp, 'optimizer.bin'), bytes);
    await fs.writeFile(path.join(tmp, 'optimizer.json'), JSON.stringify(manifest));
    await fs.writeFile(path.join(tmp, 'state.json'), JSON.stringify(state, null, 2));
    interruptionPoint('before-checkpoint-marker');
    await fs.writeFile(path.join(tmp, COMPLETE_MARKER), 'This checkpoint was written completely.\n');
  });
}

/** Whether runDir holds a complete checkpoint (possibly a leftover of an interrupted save). */
export async function hasCheckpoint(runDir: string): Promise<boolean> {
  return (await findCheckpoint(runDir)) != null;
}

/**
 * The newest complete checkpoint of a run directory, wherever an interrupted save left it:
 * checkpoint/, or, after a kill between the two renames of a save, the new one still under its
 * temporary name (.checkpoint.tmp-*) and the previous one under checkpoint.old-*. Complete means
 * it holds the marker written last (checkpoint/ of older versions, which had no marker, counts:
 * it only ever appeared whole). Newest is furthest in training. Reads only: safe while a training
 * process writes the directory. Null when there is none.
 */
export async function findCheckpoint(runDir: string): Promise<FoundCheckpoint | null> {
  let best: FoundCheckpoint | null = null;
  for (const name of await checkpointCandidates(runDir)) {
    const dir = path.join(runDir, name);
    const complete = (await exists(path.join(dir, COMPLETE_MARKER))) || name === CHECKPOINT_DIR;
    if (!complete) continue;
    let state: Checkpoint;
    try {
      state = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8')) as Checkpoint;
    } catch {
      continue; // moved away meanwhile, or an old-format fragment
    }
    // On a tie checkpoint/ wins: it comes first.
    if (best == null || state.epoch > best.state.epoch || (state.epoch === best.state.epoch && state.step > best.state.step)) {
      best = { dir, state };
    }
  }
  return best;
}

/** Names in runDir that may hold a checkpoint, checkpoint/ first. */
async function checkpointCandidates(runDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(runDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const leftovers = names.filter((n) => n.startsWith(`${CHECKPOINT_DIR}.old-`) || n.startsWith(`.${CHECKPOINT_DIR}.tmp-`)).sort();
  return [...(names.includes(CHECKPOINT_DIR) ? [CHECKPOINT_DIR] : []), ...leftovers];
}

/**
 * Puts the newest complete checkpoint (findCheckpoint) in place as runDir/checkpoint/ and deletes
 * every other checkpoint directory and fragment. For the one process that writes the run (it holds
 * the run's lock): a reader would race it. Returns what is now in place, or null.
 */
export async function recoverCheckpoint(runDir: string, log?: (line: string) => void): Promise<FoundCheckpoint | null> {
  const found = await findCheckpoint(runDir);
  const target = path.join(runDir, CHECKPOINT_DIR);
  if (found != null && found.dir !== target) {
    // Renamed away, not deleted in place: a half-deleted checkpoint/ must never be what a kill leaves.
    if (await exists(target)) await fs.rename(target, `${target}.old-${process.pid}-${Date.now()}`);
    await fs.rename(found.dir, target);
    log?.(
      `fixclf: recovered the checkpoint at ${describePosition(found.state)} from ${path.basename(found.dir)}, left by an interrupted save.`,
    );
  }
  for (const name of await checkpointCandidates(runDir)) {
    if (name !== CHECKPOINT_DIR) await removeCheckpointDir(path.join(runDir, name));
  }
  return found == null ? null : { dir: target, state: found.state };
}

/** Where a checkpoint stands, for messages: 'the end of epoch 2', or 'epoch 3, step 5' mid-epoch. */
export function describePosition(state: Pick<Checkpoint, 'epoch' | 'step'>): string {
  return state.step > 0 ? `epoch ${state.epoch + 1}, step ${state.step}` : `the end of epoch ${state.epoch}`;
}

/** Removes a checkpoint directory marker first, so that a kill halfway never leaves a "complete" fragment. */
async function removeCheckpointDir(dir: string): Promise<void> {
  await fs.rm(path.join(dir, COMPLETE_MARKER), { force: true });
  await fs.rm(dir, { recursive: true, force: true });
}

/**
 * The model of a run's newest complete checkpoint, for evaluation. Retries when a training process
 * replaces the checkpoint while it is being read.
 */
export async function loadCheckpointModel(runDir: string): Promise<LayersModel> {
  return (await loadCheckpointModelAt(runDir)).model;
}

/**
 * The model of a run's newest complete checkpoint and where in training it was saved: `epoch` epochs
 * completed and `step` steps into the next (not 0 for a run interrupted mid-epoch).
 */
export async function loadCheckpointModelAt(runDir: string): Promise<{ model: LayersModel; epoch: number; step: number }> {
  for (let attempt = 0; ; attempt++) {
    const found = await findCheckpoint(runDir);
    if (found == null) {
      throw new Error(
        `${runDir} has no complete checkpoint yet (no ${CHECKPOINT_DIR}/ with its '${COMPLETE_MARKER}' marker): train at least one epoch, or --resume the run.`,
      );
    }
    try {
      const model = await loadLayersModel(fileSystemHandler(path.join(found.dir, 'model')));
      return { model, epoch: found.state.epoch, step: found.state.step };
    } catch (error) {
      if (attempt < 3 && !(await exists(found.dir))) continue; // replaced meanwhile: take the new one
      throw error;
    }
  }
}

/** Loads runDir's newest complete checkpoint (findCheckpoint) into `model` (weights by position, shapes checked) and `sgd`. */
export async function loadCheckpoint(runDir: string, model: LayersModel, sgd: SGD): Promise<Checkpoint> {
  const found = await findCheckpoint(runDir);
  if (found == null)
    throw new Error(
      `No checkpoint to resume from in ${runDir} (expected ${path.join(runDir, CHECKPOINT_DIR)}/ with its '${COMPLETE_MARKER}' marker).`,
    );
  const dir = found.dir;
  const artifacts = await fileSystemHandler(path.join(dir, 'model')).load!();
  const specs = artifacts.weightSpecs ?? [];
  if (specs.length !== model.weights.length) {
    throw new Error(`Checkpoint ${dir} holds ${specs.length} weights, the model has ${model.weights.length}: not the same network.`);
  }
  specs.forEach((s, i) => {
    const expected = model.weights[i]!.shape;
    if (!tf.util.arraysEqual(s.shape, expected as number[])) {
      throw new Error(`Checkpoint ${dir}: weight ${i} ('${s.name}') has shape [${s.shape}], the model's [${expected}].`);
    }
  });
  const named = tf.io.decodeWeights(artifacts.weightData!, specs);
  const values = specs.map((s) => named[s.name]!);
  model.setWeights(values);
  tf.dispose(values);

  const manifest = JSON.parse(await fs.readFile(path.join(dir, 'optimizer.json'), 'utf8')) as OptimizerManifest;
  const bin = await fs.readFile(path.join(dir, 'optimizer.bin'));
  const floats = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  let offset = 0;
  const buffers = manifest.buffers.map((b) => {
    if (!b) return null;
    const size = b.shape.reduce((x, y) => x * y, 1);
    if (offset + size > floats.length) throw new Error(`Checkpoint ${dir}: optimizer.bin is shorter than optimizer.json says.`);
    const t = tf.tensor(floats.subarray(offset, offset + size), b.shape);
    offset += size;
    return t;
  });
  sgd.setState(buffers);
  tf.dispose(buffers.filter((b): b is tf.Tensor => b != null));
  return found.state;
}
