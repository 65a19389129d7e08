import {
  type GradSaveFunc,
  type Tensor,
  type Tensor2D,
  add,
  customGrad,
  div,
  maximum,
  mul,
  scalar,
  sqrt,
  square,
  sub,
  sum,
} from '@tensorflow/tfjs-core';

/**
 * x̂ = x / (‖x‖₂ + ε) per row, the reference's normalisation, with its exact gradient
 * dx = g/(r+ε) − x̂·(x̂·g)/r, r = ‖x‖₂. Written by hand because the autodiff of sqrt is infinite
 * at a zero row (a dead ReLU feature vector); here a zero row gets the finite gradient g/ε.
 */
export function l2Normalize(x: Tensor2D, epsilon: number): Tensor2D {
  const f = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const [input, save] = args as [Tensor, GradSaveFunc];
    const r = sqrt(sum(square(input), -1, true));
    const denom = add(r, scalar(epsilon));
    const value = div(input, denom);
    save([value, r, denom]);
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [unit, norm, d] = saved as [Tensor, Tensor, Tensor];
        // For a zero row x̂ = 0 and x̂·g = 0, so any positive stand-in for r gives 0.
        const along = div(sum(mul(unit, dy), -1, true), maximum(norm, scalar(1e-30)));
        return sub(div(dy, d), mul(unit, along));
      },
    };
  });
  return f(x) as Tensor2D;
}
