import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { exists, replaceDirAtomic } from './io/atomic';
import { fileSystemHandler } from './io/file-handler';
import type { MeterState } from './metrics';
import type { SGD } from './optim/sgd';

export const CHECKPOINT_DIR = 'checkpoint';

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
}

interface OptimizerManifest {
  buffers: ({ shape: number[] } | null)[];
}

/**
 * Writes runDir/checkpoint/ as a whole: model/ (model.json + weights.bin, loadable with
 * tf.loadLayersModel), optimizer.bin + optimizer.json (momentum buffers by weight position) and
 * state.json. The previous checkpoint is replaced only once the new one is complete.
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
  });
}

export async function hasCheckpoint(runDir: string): Promise<boolean> {
  return exists(path.join(runDir, CHECKPOINT_DIR, 'state.json'));
}

/** Loads runDir/checkpoint/ into `model` (weights by position, shapes checked) and `sgd`. */
export async function loadCheckpoint(runDir: string, model: LayersModel, sgd: SGD): Promise<Checkpoint> {
  const dir = path.join(runDir, CHECKPOINT_DIR);
  if (!(await hasCheckpoint(runDir))) throw new Error(`No checkpoint to resume from in ${runDir} (expected ${dir}/state.json).`);
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
  return JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8')) as Checkpoint;
}
