// The import-time guard: the version check on version strings, the internals probes on the real engine
// and cpu backend and on stand-ins that differ from them in one internal each; and the accessors against
// the TF.js installed here.
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

import '../src/index';
import {
  activeScopeId,
  assertSupportedTfjs,
  checkCpuBackendInternals,
  checkEngineInternals,
  checkTfjsVersions,
  cpuDataRecord,
  createdInScope,
  currentTape,
  deferRecordValues,
  installedTfjsVersions,
  isSupportedTfjsVersion,
  recordingTape,
  silenceCpuFirstUseWarning,
  TfjsCompatibilityError,
} from '../src/tfjs-internals';

function thrown(fn: () => void): TfjsCompatibilityError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TfjsCompatibilityError);
    return error as TfjsCompatibilityError;
  }
  throw new Error('expected a TfjsCompatibilityError');
}

describe('the version check', () => {
  test('the installed TF.js (4.22.x) passes', () => {
    const versions = installedTfjsVersions();
    expect(versions.core).toBe(tf.version_core);
    expect(versions.cpu).toBe(tf.version_cpu);
    expect(versions.core).toMatch(/^4\.22\./);
    expect(() => checkTfjsVersions(versions, {})).not.toThrow();
  });

  test.each(['4.22.0', '4.22.1', '4.23.0', '4.30.2'])('%s is in ^4.22.0', (version) => {
    expect(isSupportedTfjsVersion(version)).toBe(true);
    expect(() => checkTfjsVersions({ core: version, cpu: version }, {})).not.toThrow();
  });

  test.each(['4.21.0', '4.0.0', '3.21.0', '5.0.0', '4.22.0-rc.1', '0.0.0-nightly', 'unknown'])(
    '%s is refused with one line naming it, the range and the fix',
    (version) => {
      const error = thrown(() => checkTfjsVersions({ core: version, cpu: '4.22.0' }, {}));
      expect(error.code).toBe('tfjs-version');
      expect(error.message.split('\n')).toHaveLength(1);
      expect(error.message).toContain(`@tensorflow/tfjs-core ${version}`);
      expect(error.message).not.toContain('tfjs-backend-cpu 4.22.0');
      expect(error.message).toContain('^4.22.0');
      expect(error.message).toContain('npm install @tensorflow/tfjs-core@^4.22.0');
      expect(error.message).toContain('FIXCLF_ONEDNN_SKIP_VERSION_CHECK=1');
    },
  );

  test('a tfjs-backend-cpu outside the range is named too', () => {
    const error = thrown(() => checkTfjsVersions({ core: '4.22.0', cpu: '4.10.0' }, {}));
    expect(error.message).toContain('@tensorflow/tfjs-backend-cpu 4.10.0');
    expect(error.message).not.toContain('tfjs-core 4.22.0');
  });

  test('FIXCLF_ONEDNN_SKIP_VERSION_CHECK=1 turns the error into one warning', () => {
    const warn = jest.fn();
    const env = { FIXCLF_ONEDNN_SKIP_VERSION_CHECK: '1' };
    expect(() => checkTfjsVersions({ core: '5.1.0' }, env, warn)).not.toThrow();
    expect(() => checkTfjsVersions({ core: '5.1.0' }, env, warn)).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toContain('@tensorflow/tfjs-core 5.1.0');
    expect(warn.mock.calls[0]![0]).toContain('FIXCLF_ONEDNN_SKIP_VERSION_CHECK=1');
    // Any other value does not skip.
    expect(() => checkTfjsVersions({ core: '5.1.0' }, { FIXCLF_ONEDNN_SKIP_VERSION_CHECK: 'yes' }, warn)).toThrow(TfjsCompatibilityError);
  });

  test('the whole guard runs at import and passes on the installed TF.js, leaving the engine as it was', () => {
    const state = tf.engine().state;
    const before = {
      gradientDepth: state.gradientDepth,
      kernelDepth: state.kernelDepth,
      scope: state.activeScope ?? null,
      tape: state.activeTape,
    };
    expect(() => assertSupportedTfjs()).not.toThrow();
    expect(() => assertSupportedTfjs({ core: '6.0.0' })).toThrow(/@tensorflow\/tfjs-core 6\.0\.0/);
    expect({
      gradientDepth: state.gradientDepth,
      kernelDepth: state.kernelDepth,
      scope: state.activeScope ?? null,
      tape: state.activeTape,
    }).toEqual(before);
  });
});

/**
 * An engine stand-in that behaves as tfjs-core 4.22's does in everything the probe touches; `change`
 * alters one thing, as a future release might.
 */
function standInEngine(change: (engine: Record<string, unknown>, state: Record<string, unknown>) => void = () => {}) {
  interface Scope {
    id: number;
    track: { kept: boolean; scopeId?: number; dispose(): void }[];
  }
  const state: Record<string, unknown> = { gradientDepth: 0, kernelDepth: 0, nextScopeId: 0 };
  const stack: Scope[] = [];
  const engine: Record<string, unknown> = {
    state,
    startScope() {
      const scope = { id: (state.nextScopeId as number)++, track: [] };
      stack.push(scope);
      state.activeScope = scope;
    },
    endScope() {
      const scope = stack.pop()!;
      for (const t of scope.track) if (!t.kept) t.dispose();
      state.activeScope = stack.length === 0 ? null : stack[stack.length - 1];
    },
    track(t: Scope['track'][number]) {
      const scope = state.activeScope as Scope | null;
      if (scope != null) {
        t.scopeId = scope.id;
        scope.track.push(t);
      }
      return t;
    },
    keep(t: { kept: boolean }) {
      t.kept = true;
      return t;
    },
    startTape() {
      if (state.gradientDepth === 0) state.activeTape = [];
      (state.gradientDepth as number)++;
    },
    endTape() {
      (state.gradientDepth as number)--;
    },
    removeDataId() {},
    makeTensorFromTensorInfo() {},
    addTapeNode(_kernelName: string, inputs: unknown, _outputs: unknown, gradientsFunc: unknown, saved: unknown) {
      (state.activeTape as unknown[]).push({ id: 0, inputs, saved, gradient: gradientsFunc });
    },
  };
  change(engine, state);
  return engine;
}

describe('the engine probe', () => {
  test('passes on the real engine and on a faithful stand-in', () => {
    expect(() => checkEngineInternals(tf.engine(), tf.version_core)).not.toThrow();
    expect(() => checkEngineInternals(standInEngine(), '4.22.0')).not.toThrow();
  });

  test.each<[string, string, (engine: Record<string, unknown>, state: Record<string, unknown>) => void]>([
    ['engine().state', 'no state object', (engine) => void (engine.state = undefined)],
    ['engine().state.kernelDepth', 'kernelDepth renamed', (_, state) => void delete state.kernelDepth],
    ['engine().state.gradientDepth', 'gradientDepth not a number', (_, state) => void (state.gradientDepth = '0')],
    ['engine().startTape()', 'startTape renamed', (engine) => void delete engine.startTape],
    ['engine().removeDataId()', 'removeDataId gone', (engine) => void delete engine.removeDataId],
    ['engine().makeTensorFromTensorInfo()', 'makeTensorFromTensorInfo gone', (engine) => void delete engine.makeTensorFromTensorInfo],
    ['engine().addTapeNode()', 'addTapeNode gone', (engine) => void delete engine.addTapeNode],
    [
      'engine().addTapeNode()',
      'tape nodes that keep their saved tensors elsewhere',
      (engine, state) => {
        engine.addTapeNode = (_k: string, inputs: unknown, _o: unknown, gradient: unknown, savedTensors: unknown) =>
          void (state.activeTape as unknown[]).push({ inputs, savedTensors, gradient });
      },
    ],
    [
      'engine().state.activeScope',
      'the open scope kept elsewhere',
      (engine, state) => {
        const start = engine.startScope as () => void;
        engine.startScope = () => {
          start();
          state.currentScope = state.activeScope;
          delete state.activeScope;
        };
      },
    ],
    [
      'Tensor.scopeId',
      'tracked tensors stamped under another name',
      (engine) => {
        const track = engine.track as (t: { scopeId?: number; scope?: number | undefined }) => unknown;
        engine.track = (t: { scopeId?: number; scope?: number | undefined }) => {
          track(t);
          t.scope = t.scopeId;
          delete t.scopeId;
        };
      },
    ],
    ['Tensor.kept', 'tf.keep marking another field', (engine) => void (engine.keep = (t: { isKept?: boolean }) => ((t.isKept = true), t))],
    [
      'engine().state.activeTape',
      'the tape kept elsewhere',
      (engine, state) => {
        engine.startTape = () => {
          state.tape = [];
          (state.gradientDepth as number)++;
        };
      },
    ],
    ['engine().state.gradientDepth', 'tapes not counted', (engine) => void (engine.endTape = () => {})],
  ])('names %s when a release has %s', (internal, _, change) => {
    const error = thrown(() => checkEngineInternals(standInEngine(change), '4.23.0'));
    expect(error.code).toBe('tfjs-internals');
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).toContain(`internal ${internal} (`);
    expect(error.message).toContain('@tensorflow/tfjs-core 4.23.0');
    expect(error.message).toContain('npm install @tensorflow/tfjs-core@~4.22.0');
  });
});

describe('the cpu backend probe', () => {
  test('passes on a real MathBackendCPU, leaving it as it was (greeting still due, no data)', () => {
    const backend = new MathBackendCPU();
    checkCpuBackendInternals(backend, tf.version_core);
    expect(backend.numDataIds()).toBe(0);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    backend.disposeData(backend.write(new Float32Array(1), [1], 'float32'));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('tfjs-node');
  });

  test('names MathBackendCPU.firstUse when it is not a boolean', () => {
    const backend = new MathBackendCPU();
    Object.assign(backend, { firstUse: undefined });
    expect(thrown(() => checkCpuBackendInternals(backend, '4.23.0')).message).toContain('internal MathBackendCPU.firstUse (');
  });

  test('names MathBackendCPU.data when it is not a DataStorage', () => {
    const backend = new MathBackendCPU();
    Object.assign(backend, { data: { records: new WeakMap() } });
    expect(thrown(() => checkCpuBackendInternals(backend, '4.23.0')).message).toContain('internal MathBackendCPU.data (');
  });

  test('names the data records when their values cannot be deferred', () => {
    const backend = new MathBackendCPU();
    const set = backend.data.set.bind(backend.data);
    backend.data.set = (dataId, record) => set(dataId, Object.freeze({ ...record }));
    const error = thrown(() => checkCpuBackendInternals(backend, '4.23.0'));
    expect(error.message).toContain('internal MathBackendCPU.data records (');
    expect(error.message).toContain('4.23.0');
  });

  test('names the data records when values live elsewhere', () => {
    const backend = new MathBackendCPU();
    const set = backend.data.set.bind(backend.data);
    backend.data.set = (dataId, { values, ...rest }) => set(dataId, { ...rest, buffer: values } as never);
    expect(thrown(() => checkCpuBackendInternals(backend, '4.23.0')).message).toContain('internal MathBackendCPU.data records (');
  });
});

describe('the accessors, on the installed TF.js', () => {
  test('activeScopeId and createdInScope: tensors of the open scope, unless kept', () => {
    tf.tidy(() => {
      const scope = activeScopeId();
      expect(typeof scope).toBe('number');
      const made = tf.zeros([2]);
      const kept = tf.keep(tf.zeros([2]));
      expect(createdInScope(made, scope)).toBe(true);
      expect(createdInScope(kept, scope)).toBe(false);
      tf.tidy(() => expect(createdInScope(tf.zeros([1]), scope)).toBe(false));
      expect(createdInScope(made, undefined)).toBe(false);
      kept.dispose();
    });
  });

  test('currentTape during a gradient; recordingTape inside a kernel the tape records, only', async () => {
    await tf.setBackend('cpu');
    silenceCpuFirstUseWarning(tf.backend() as MathBackendCPU);
    const seen: unknown[] = [];
    tf.registerKernel({
      kernelName: 'FixclfTapeProbe',
      backendName: 'cpu',
      kernelFunc: ({ inputs, backend, attrs }) => {
        seen.push(recordingTape());
        const x = inputs.x as tf.Tensor;
        // A kernel another kernel calls is not recorded: it sees no tape.
        if (attrs?.nested === true) tf.dispose(tf.engine().runKernel('FixclfTapeProbe', { x }, { nested: false }) as tf.Tensor);
        return (backend as MathBackendCPU).makeTensorInfo(x.shape, 'float32', new Float32Array(tf.util.sizeFromShape(x.shape)));
      },
    });
    try {
      const probe = (x: tf.Tensor) => tf.engine().runKernel('FixclfTapeProbe', { x }, { nested: true }) as tf.Tensor;
      let tape: unknown;
      tf.tidy(() => {
        const x = tf.ones([3]);
        probe(x); // no gradient being taken
        tf.grad((t: tf.Tensor) => {
          tape = currentTape();
          probe(t);
          return tf.sum(t);
        })(x);
      });
      expect(Array.isArray(tape)).toBe(true);
      expect(seen).toHaveLength(4);
      expect(seen[0]).toBeNull(); // no gradient being taken
      expect(seen[1]).toBeNull(); // nested
      expect(seen[2]).toBe(tape);
      expect(seen[3]).toBeNull(); // nested
      expect(recordingTape()).toBeNull(); // outside any kernel
    } finally {
      tf.unregisterKernel('FixclfTapeProbe', 'cpu');
    }
  });

  test('silenceCpuFirstUseWarning: no "install tfjs-node" greeting', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const backend = new MathBackendCPU();
    silenceCpuFirstUseWarning(backend);
    backend.disposeData(backend.write(new Float32Array(1), [1], 'float32'));
    expect(warn).not.toHaveBeenCalled();
  });

  test('deferRecordValues: computed once, on first read; an assignment first replaces it unread', () => {
    const backend = new MathBackendCPU();
    silenceCpuFirstUseWarning(backend);
    const lazy = backend.write(new Float32Array(0), [2], 'float32');
    const replaced = backend.write(new Float32Array(0), [2], 'float32');
    const compute = jest.fn(() => Float32Array.of(1, 2));
    const done = jest.fn();
    deferRecordValues(cpuDataRecord(backend, lazy)!, compute, done);
    deferRecordValues(cpuDataRecord(backend, replaced)!, compute, done);
    expect(compute).not.toHaveBeenCalled();
    expect(Array.from(backend.readSync(lazy) as Float32Array)).toEqual([1, 2]);
    expect(Array.from(backend.readSync(lazy) as Float32Array)).toEqual([1, 2]);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(done).toHaveBeenCalledTimes(1);
    cpuDataRecord(backend, replaced)!.values = Float32Array.of(3, 4);
    expect(Array.from(backend.readSync(replaced) as Float32Array)).toEqual([3, 4]);
    expect(compute).toHaveBeenCalledTimes(1);
  });
});
