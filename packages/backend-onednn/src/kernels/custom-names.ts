// Kernels this backend adds for its gradient overrides (src/gradients): each computes in one native pass
// what TF.js's registered gradient computes with several element-wise kernels.
export const OneDnnReluGrad = 'OneDnnReluGrad';
export const OneDnnSquareGrad = 'OneDnnSquareGrad';
export const OneDnnBroadcastScale = 'OneDnnBroadcastScale';
export const OneDnnBatchNormGrad = 'OneDnnBatchNormGrad';
