// Shared Jest settings: TypeScript through SWC, and workspace packages resolved to their
// sources so a test always exercises the code beside it, never a stale build.
const path = require('node:path');

/** @param {string} dir the package directory (pass __dirname) */
module.exports = function preset(dir, overrides = {}) {
  return {
    rootDir: dir,
    testEnvironment: 'node',
    // A hang guard, not a speed check: `pnpm test` runs every package's tests at once on 2 cores, where an
    // async test of a few seconds alone can take several times that (Jest's default is 5 s).
    testTimeout: 60_000,
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.(m?[tj]sx?)$': [
        require.resolve('@swc/jest'),
        { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
      ],
    },
    moduleNameMapper: {
      '^@fixclf/([a-z-]+)$': path.join(__dirname, 'packages/$1/src/index.ts'),
      // Subpath exports ('@fixclf/hadamard/constructions'): each is the entry src/<subpath>.ts.
      '^@fixclf/([a-z-]+)/([a-z-]+)$': path.join(__dirname, 'packages/$1/src/$2.ts'),
    },
    ...overrides,
  };
};
