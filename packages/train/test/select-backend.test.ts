import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src';
import { fixclfChild } from './fixtures/cli-child';

describe('selectBackend', () => {
  it('activates cpu when asked', async () => {
    const selected = await selectBackend('cpu');
    expect(selected).toEqual({ name: 'cpu', reason: 'requested: pure JavaScript (slow: for tests and tiny models)' });
    expect(tf.getBackend()).toBe('cpu');
    // Its first tensor prints no banner recommending tfjs-node (the reason above says so already). The
    // switch is a private field of TF.js's cpu backend: this fails if TF.js renames it.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      tf.tensor([1, 2, 3]).dispose();
      expect(warn.mock.calls.flat().join('\n')).not.toContain('running TensorFlow.js in Node.js');
    } finally {
      warn.mockRestore();
    }
  });

  it('says an optional peer that is not installed is not available', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow("Backend 'tensorflow' is not available: not installed.");
  });

  it("says why the onednn backend cannot load, in one sentence (its addon's message, one full stop)", async () => {
    const result = await fixclfChild(['train', '--model', 'tiny', '--backend', 'onednn', '--out', 'unused'], {
      env: { ...process.env, FIXCLF_ONEDNN_ADDON: '/nonexistent/fixclf_onednn.node' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "Backend 'onednn' is not available: @fixclf/backend-onednn: FIXCLF_ONEDNN_ADDON is set to /nonexistent/fixclf_onednn.node, which does not exist;",
    );
    expect(result.stderr).toMatch(/load the package's own build\.\n/);
  });

  it('auto takes the first that works and says what it skipped and why', async () => {
    const selected = await selectBackend('auto');
    expect(selected.reason).toMatch(/^auto: /);
    expect(selected.reason).toContain('@tensorflow/tfjs-node: not installed');
    expect(['onednn', 'cpu']).toContain(selected.name);
    expect(tf.getBackend()).toBe(selected.name);
  });

  it('rejects an unknown choice, naming the choices', async () => {
    await expect(selectBackend('webgl' as 'cpu')).rejects.toThrow(
      "Unknown backend 'webgl'; expected one of auto, onednn, cpu, tensorflow, tensorflow-gpu.",
    );
  });
});
