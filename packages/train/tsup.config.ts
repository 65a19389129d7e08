import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

export default defineConfig(
  packageBuild({
    entry: ['src/index.ts', 'src/cli/main.ts'],
    external: [/^@tensorflow\//, /^@fixclf\//, 'sharp', 'commander', 'cli-progress'],
    // shims: fixclf's version is read from package.json, found from __dirname, which ESM output must emulate.
    shims: true,
  }),
);
