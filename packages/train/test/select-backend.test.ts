import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src';

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
