import { native } from '../native';
import { OneDnnSquareGrad } from './custom-names';
import { nativeKernel, nativeOutput } from './util';

/** dx = 2 · x · dy. */
export const oneDnnSquareGradConfig = nativeKernel(OneDnnSquareGrad, ({ dy, x }, backend) => {
  if (backend.lazyKind(dy!) === 'zeros') return backend.makeZeros32([...x!.shape]);
  const dyValues = backend.float32(dy!);
  const xValues = backend.float32(x!);
  return nativeOutput(backend, [...x!.shape], (dx) => native.squareGrad(dyValues, xValues, dx));
});
