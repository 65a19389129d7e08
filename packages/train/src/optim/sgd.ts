import * as tf from '@tensorflow/tfjs-core';

export interface SgdOptions {
  /** μ. Default 0.9. */
  momentum?: number | undefined;
  /** Added to the gradient as wd·w before momentum (PyTorch's `weight_decay`). Default 0. */
  weightDecay?: number | undefined;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean | undefined;
  /** Weights (by variable name) that get no weight decay. Default: none — the paper decays every weight, α included. */
  noWeightDecay?: ((name: string) => boolean) | undefined;
  /**
   * Use the active backend's fused update when it has one (@fixclf/backend-onednn: every weight in one
   * native call, same semantics); false always takes the TF.js ops below. Default true.
   */
  fused?: boolean | undefined;
}

/**
 * A tfjs-layers LayerVariable (a LayersModel's `trainableWeights` entry), by shape: `read()` returns the
 * tf.Variable it wraps (typed as a plain Tensor by tfjs-layers).
 */
interface WeightVariable {
  read(): tf.Tensor;
}

/** A backend that updates every weight in one call (@fixclf/backend-onednn's OneDnnBackend.fusedSgdUpdate). */
interface FusedSgdBackend {
  fusedSgdUpdate(
    variables: readonly tf.Variable[],
    gradients: readonly tf.Tensor[],
    buffers: readonly (tf.Variable | null)[],
    options: { lr: number; momentum: number; weightDecay: readonly number[]; nesterov: boolean },
  ): (tf.Variable | null)[];
}

/** The active backend when it offers a fused update (found by shape: this package does not import the backend). */
function fusedBackend(): FusedSgdBackend | null {
  const backend = tf.backend() as Partial<FusedSgdBackend>;
  return typeof backend.fusedSgdUpdate === 'function' ? (backend as FusedSgdBackend) : null;
}

/**
 * Stochastic gradient descent with momentum in PyTorch's exact semantics:
 *   d = g + wd·w;   v = μ·v + d  (v = d on the first step);   w -= lr·(nesterov ? d + μ·v : v)
 * so that learning rates and weight decays from the literature mean what they say. (TF.js's own
 * `tf.train.momentum` folds lr into v and has no weight decay; its L2 regulariser adds l2·Σw² with
 * no ½, i.e. wd = 2·l2.)
 */
export class SGD {
  readonly momentum: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  private readonly noWeightDecay: (name: string) => boolean;
  private readonly fused: boolean;
  private readonly buffers = new Map<string, tf.Variable>();

  /** The variables it updates, in the given order (what `tf.variableGrads` takes). */
  readonly variables: readonly tf.Variable[];

  /**
   * `variables`: TF.js variables, or a LayersModel's `trainableWeights` as they are (each one's
   * variable is taken with `read()`), with distinct names: gradients are matched to them by name.
   */
  constructor(variables: readonly (tf.Variable | WeightVariable)[], options: SgdOptions = {}) {
    this.variables = variables.map((v) => ('read' in v ? (v.read() as tf.Variable) : v));
    this.momentum = options.momentum ?? 0.9;
    this.weightDecay = options.weightDecay ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.noWeightDecay = options.noWeightDecay ?? (() => false);
    this.fused = options.fused ?? true;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new Error(`SGD: momentum must be in [0, 1), got ${this.momentum}.`);
    if (!(this.weightDecay >= 0)) throw new Error(`SGD: weightDecay must be ≥ 0, got ${this.weightDecay}.`);
    if (this.nesterov && this.momentum === 0) throw new Error('SGD: Nesterov momentum needs momentum > 0.');
    const names = new Set<string>();
    for (const v of this.variables) {
      if (names.has(v.name)) throw new Error(`SGD: two variables are named '${v.name}'.`);
      names.add(v.name);
    }
  }

  /** One update with learning rate `lr`; `grads` maps variable names to gradients. */
  step(grads: tf.NamedTensorMap, lr: number): void {
    const backend = this.fused ? fusedBackend() : null;
    if (backend !== null && this.stepFused(backend, grads, lr)) return;
    for (const w of this.variables) {
      const g = grads[w.name];
      if (g == null) continue; // a weight the loss does not reach
      tf.tidy(() => {
        const wd = this.noWeightDecay(w.name) ? 0 : this.weightDecay;
        const d = wd > 0 ? tf.add(g, tf.mul(w, wd)) : g;
        let update = d;
        if (this.momentum > 0) {
          const buffer = this.buffers.get(w.name);
          let v: tf.Tensor;
          if (buffer) {
            v = tf.add(tf.mul(buffer, this.momentum), d);
            buffer.assign(v);
          } else {
            v = d;
            this.buffers.set(w.name, tf.variable(d, false));
          }
          update = this.nesterov ? tf.add(d, tf.mul(v, this.momentum)) : v;
        }
        w.assign(tf.sub(w, tf.mul(update, lr)));
      });
    }
  }

  /**
   * The same update as step()'s TF.js ops, for every weight in one call of the backend; false (nothing
   * done) when a weight or gradient is not float32.
   */
  private stepFused(backend: FusedSgdBackend, grads: tf.NamedTensorMap, lr: number): boolean {
    const variables: tf.Variable[] = [];
    const gradients: tf.Tensor[] = [];
    for (const w of this.variables) {
      const g = grads[w.name];
      if (g == null) continue; // a weight the loss does not reach
      if (w.dtype !== 'float32' || g.dtype !== 'float32') return false;
      variables.push(w);
      gradients.push(g);
    }
    if (variables.length === 0) return true;
    const buffers = variables.map((w) => this.buffers.get(w.name) ?? null);
    const after = backend.fusedSgdUpdate(variables, gradients, buffers, {
      lr,
      momentum: this.momentum,
      weightDecay: variables.map((w) => (this.noWeightDecay(w.name) ? 0 : this.weightDecay)),
      nesterov: this.nesterov,
    });
    after.forEach((buffer, i) => {
      if (buffer !== null && buffer !== buffers[i]) this.buffers.set(variables[i]!.name, buffer);
    });
    return true;
  }

  /**
   * Momentum buffers in the order of the variables (null where a weight has had no step yet), for
   * checkpoints: positions, unlike TF.js variable names, are the same in every process.
   */
  getState(): (tf.Tensor | null)[] {
    return this.variables.map((v) => this.buffers.get(v.name) ?? null);
  }

  /** Restores buffers written by getState. */
  setState(state: readonly (tf.Tensor | null)[]): void {
    if (state.length !== this.variables.length) {
      throw new Error(`SGD: the checkpoint has ${state.length} momentum buffers, the model ${this.variables.length} trainable weights.`);
    }
    this.variables.forEach((w, i) => {
      const value = state[i];
      this.buffers.get(w.name)?.dispose();
      this.buffers.delete(w.name);
      if (value == null) return;
      if (!tf.util.arraysEqual(w.shape, value.shape)) {
        throw new Error(`SGD: momentum buffer ${i} has shape [${value.shape}], the weight '${w.name}' [${w.shape}].`);
      }
      this.buffers.set(w.name, tf.variable(value, false));
    });
  }

  dispose(): void {
    for (const v of this.buffers.values()) v.dispose();
    this.buffers.clear();
  }
}
