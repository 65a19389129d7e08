// Shared build settings: ESM + CommonJS with type declarations, TensorFlow.js left to the user.
/** @param {import('tsup').Options} overrides */
export function packageBuild(overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    // Maps embed the sources (esbuild's sourcesContent, on by default), so src/ is not published.
    sourcemap: true,
    target: 'es2022',
    external: [/^@tensorflow\//, /^@fixclf\//],
    ...overrides,
  };
}
