import { native } from '../native';
import { OneDnnReluGrad } from './custom-names';
import { nativeKernel, nativeOutput } from './util';

/** dx = dy where x > 0, else 0 (TF.js: dy · step(x)). */
export const oneDnnReluGradConfig = nativeKernel(OneDnnReluGrad, ({ dy, x }, backend) => {
  if (backend.lazyKind(dy!) === 'zeros') return backend.makeZeros32([...x!.shape]);
  const dyValues = backend.float32(dy!);
  const xValues = backend.float32(x!);
  return nativeOutput(backend, [...x!.shape], (dx) => native.reluGrad(dyValues, xValues, dx));
});
