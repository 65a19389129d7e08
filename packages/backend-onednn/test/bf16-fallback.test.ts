// Where the CPU has neither AVX512-BF16 nor AMX, bf16 would be slower than float32: asking for it keeps
// float32 and says so once. FIXCLF_ONEDNN_FORCE_NO_BF16=1 makes the CPU check answer "no" on any machine.
import * as tf from '@tensorflow/tfjs';

import { getPrecision, setPrecision } from '../src/index';
import { native } from '../src/native';
import { bf16Unavailable } from '../src/precision';
import { input } from './helpers';

const saved = process.env.FIXCLF_ONEDNN_FORCE_NO_BF16;
beforeAll(() => {
  process.env.FIXCLF_ONEDNN_FORCE_NO_BF16 = '1';
});
afterAll(() => {
  if (saved === undefined) delete process.env.FIXCLF_ONEDNN_FORCE_NO_BF16;
  else process.env.FIXCLF_ONEDNN_FORCE_NO_BF16 = saved;
  setPrecision('fp32');
});

test('setPrecision(bf16) without bf16 hardware keeps fp32 and warns once', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  setPrecision('bf16');
  expect(getPrecision()).toBe('fp32');
  setPrecision('bf16');
  expect(getPrecision()).toBe('fp32');
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn.mock.calls[0]![0]).toMatch(
    /^@fixclf\/backend-onednn: bf16 precision needs AVX512-BF16 or AMX; FIXCLF_ONEDNN_FORCE_NO_BF16=1 is set, so convolutions and matrix products stay fp32\.$/,
  );

  // And the kernels run in float32.
  await tf.setBackend('onednn');
  const before = native.precisionRuns();
  tf.tidy(() => {
    const x = tf.tensor(input([1, 6, 6, 4], 1).values, [1, 6, 6, 4]) as tf.Tensor4D;
    const w = tf.tensor(input([3, 3, 4, 5], 2).values, [3, 3, 4, 5]) as tf.Tensor4D;
    tf.conv2d(x, w, 1, 'same').dataSync();
    tf.matMul(tf.ones([3, 4]), tf.ones([4, 2])).dataSync();
  });
  const after = native.precisionRuns();
  expect(after.convForward.bf16).toBe(before.convForward.bf16);
  expect(after.convForward.fp32).toBeGreaterThan(before.convForward.fp32);
  expect(after.matmul.bf16).toBe(before.matmul.bf16);
});

test('the CPU check names the ISA when it is the hardware that lacks bf16', () => {
  expect(bf16Unavailable({ FIXCLF_ONEDNN_FORCE_NO_BF16: '1' })).toBe('FIXCLF_ONEDNN_FORCE_NO_BF16=1 is set');
  const answer = bf16Unavailable({});
  if (native.bf16Support().supported) expect(answer).toBeNull();
  else expect(answer).toMatch(/neither AVX512-BF16 nor AMX \(oneDNN dispatches on \w+\)/);
});
