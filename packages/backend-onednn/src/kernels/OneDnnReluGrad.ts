import { native } from '../native';
import { OneDnnReluGrad } from './custom-names';
import { nativeKernel } from './util';

/**
 * dx = dy · step(y), y the ReLU's output (same as step of its input). Deferred: a FusedBatchNorm gradient
 * that consumes it applies the mask on the fly, so the masked gradient is usually never stored.
 */
export const oneDnnReluGradConfig = nativeKernel(OneDnnReluGrad, ({ dy, y }, backend) => {
  if (backend.lazyKind(dy!) === 'zeros') return backend.makeZeros32([...y!.shape]);
  return backend.makeLazyOutput32(
    [...y!.shape],
    'reluGrad',
    [dy!, y!],
    (dx) => {
      const ys = backend.activation(y!);
      native.reluGrad(backend.float32(dy!), ys.values, dx, ys.bf16);
    },
    { dy: dy!, y: y! },
  );
});
